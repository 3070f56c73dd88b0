using System.Net;
using System.Net.Sockets;
using Forgeline.Core.Projects;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;
using Forgeline.Worker.Specs;

namespace Forgeline.Worker.Tests.Specs;

/// <summary>
/// rpmspec runs a spec's <c>%(…)</c> and Lua macros: a hostile spec read by the worker can neither touch the host's
/// files nor reach the network, and one that hangs or floods is stopped with a clear reason.
/// </summary>
public sealed class SpecIsolationTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-specs");

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Shell_and_lua_macros_cannot_write_to_the_hosts_files()
    {
        var marker = Sandboxed.UniqueMarker();
        // Outside /tmp too: the test's own output directory is on the host's disk and not in the sandbox.
        var hostDir = AppContext.BaseDirectory.TrimEnd('/');
        var release = $"1.%(touch /tmp/{marker}; touch {hostDir}/{marker} 2>/dev/null && echo wrote || echo isolated)"
            + $".%{{lua: local f = io.open(\"{hostDir}/{marker}-lua\", \"w\"); if f then f:write(\"x\"); f:close(); print(\"wrote\") else print(\"isolated\") end}}";

        var facts = await ReadAsync(Spec(release));

        facts.Release.ShouldBe("1.isolated.isolated");
        File.Exists($"/tmp/{marker}").ShouldBeFalse();
        File.Exists($"{hostDir}/{marker}").ShouldBeFalse();
        File.Exists($"{hostDir}/{marker}-lua").ShouldBeFalse();
    }

    [Fact]
    public async Task Shell_macros_cannot_reach_the_network()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var facts = await ReadAsync(Spec($"1.%(bash -c 'echo hello > /dev/tcp/127.0.0.1/{port}' 2>/dev/null && echo connected || echo offline)"));

        facts.Release.ShouldBe("1.offline");
        listener.Pending().ShouldBeFalse();
    }

    [Fact]
    public async Task A_macro_that_never_ends_is_stopped_at_the_time_limit_with_everything_it_started()
    {
        var seconds = Sandboxed.UniqueSleepSeconds();

        var failure = await Should.ThrowAsync<SpecReadException>(() => ReadAsync(Spec($"1.%(sleep {seconds})"), SpecReaderLimits.Default with { Timeout = TimeSpan.FromSeconds(3) }));

        failure.Message.ShouldStartWith("reading the spec took longer than 3s during rpmspec and was stopped");
        (await Sandboxed.HostProcessesMatchingAsync(seconds)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_macro_that_prints_without_end_is_stopped_at_the_output_limit()
    {
        var failure = await Should.ThrowAsync<SpecReadException>(() =>
            ReadAsync(Spec("1.%(yes flood >&2; echo 1)"), SpecReaderLimits.Default with { OutputLimitBytes = 64 * 1024 }));

        failure.Message.ShouldBe("rpmspec printed more than 65536 bytes and was stopped; the spec's macros print too much");
    }

    [Fact]
    public async Task A_spec_whose_answer_passes_the_file_limit_is_stopped()
    {
        var provides = "%{lua: for i = 1, 500 do print(\"Provides: fl-virtual-\" .. i .. \" = 1.0\\n\") end}";

        var failure = await Should.ThrowAsync<SpecReadException>(() =>
            ReadAsync(Spec("1", provides), SpecReaderLimits.Default with { FileLimitBytes = 4096 }));

        failure.Message.ShouldBe("the spec wrote a file larger than 4096 bytes while it was read; it was stopped");
        // The same spec reads in full under the default limit.
        (await ReadAsync(Spec("1", provides))).Packages.Single().Provides.Count.ShouldBe(502);
    }

    private SpecReadRequest Spec(string release, string extra = "") =>
        SpecSources.Packed(SpecSources.Directory(home.Path, new Dictionary<string, string>
        {
            ["hostile.spec"] = $"""
                Name:     fl-hostile
                Version:  1.0
                Release:  {release}
                Summary:  A spec that tries things
                License:  MIT
                {extra}

                %description
                Tries things.

                %files
                """,
        }));

    private Task<SpecFacts> ReadAsync(SpecReadRequest request, SpecReaderLimits? limits = null)
    {
        Directory.CreateDirectory(home["work"]);
        return new SandboxSpecReader(new BubblewrapSandbox(), home["work"], limits).ReadAsync(request, CancellationToken.None).WaitAsync(Sandboxed.Patience);
    }
}

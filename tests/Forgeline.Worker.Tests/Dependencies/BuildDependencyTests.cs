using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests.Dependencies;

/// <summary>
/// A package built against the RPMs an earlier build produced: real gcc, rpmbuild and bwrap, the dependencies laid over
/// the host's /usr in the sandbox only.
/// </summary>
public sealed class BuildDependencyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempDirectory home = new("forgeline-deps");
    private readonly LocalJobTransfer transfer = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_program_builds_against_the_library_rpms_of_an_earlier_build_and_not_without_them()
    {
        File.Exists("/usr/include/greet.h").ShouldBeFalse("the host itself must not have the library, or this test proves nothing");
        var pair = await TestPackages.MakeLibraryPairSourcesAsync(home["in"]);

        // The library is built by the worker like any job; its uploads are what the server would hand out.
        var library = await Runner(await transfer.SrpmLeaseAsync(pair.LibrarySrpm), "work-library").RunAsync(CancellationToken.None).WaitAsync(Patience);
        library.ShouldBe("libgreet-1.0-1");
        transfer.UploadedRpms.Select(Path.GetFileName).ShouldBe(["libgreet-1.0-1.x86_64.rpm", "libgreet-devel-1.0-1.x86_64.rpm"]);
        var dependencies = await transfer.DependenciesAsync(transfer.UploadedRpms);

        // Without them: the compiler's own words, and it is the package's failure.
        var withoutLog = new CollectingBuildLog();
        var programLease = await transfer.SrpmLeaseAsync(pair.ProgramSrpm);
        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(programLease, "work-without", withoutLog).RunAsync(CancellationToken.None).WaitAsync(Patience));
        failure.Message.ShouldBe("rpmbuild failed with exit code 1; the end of the build log says why");
        withoutLog.Text.ShouldContain(LibraryPair.MissingHeaderError);

        // With them: it compiles, links -lgreet, finds greet.pc and runs in %check.
        var log = new CollectingBuildLog();
        var program = await Runner(programLease with { Dependencies = dependencies }, "work-with", log).RunAsync(CancellationToken.None).WaitAsync(Patience);

        program.ShouldBe("greeter-1.0-1");
        log.Text.ShouldContain("forgeline: installing 2 build dependencies: libgreet-1.0-1.x86_64.rpm, libgreet-devel-1.0-1.x86_64.rpm\n");
        log.Text.ShouldContain("greet 1.0 found by pkg-config\n");
        log.Text.ShouldContain($"\n{LibraryPair.Greeting}\n");
        log.Text.ShouldNotContain(LibraryPair.MissingHeaderError);
        var greeter = transfer.UploadedRpms.Single(p => Path.GetFileName(p) == "greeter-1.0-1.x86_64.rpm");
        var (code, requires, stderr) = await ProcessRunner.RunAsync("rpm", ["-qp", "--requires", greeter], timeout: Sandboxed.Patience);
        code.ShouldBe(0, stderr);
        requires.ShouldContain("libgreet.so.1()(64bit)", customMessage: "the program is linked against the library");

        // Only the sandbox saw them.
        File.Exists("/usr/include/greet.h").ShouldBeFalse();
        File.Exists("/usr/lib64/libgreet.so").ShouldBeFalse();
    }

    [Fact]
    public async Task Dependency_files_in_usr_etc_and_opt_are_seen_at_their_paths_next_to_the_hosts_and_no_scriptlet_runs()
    {
        var name = Unique("data");
        var hostMarker = home["scriptlet-ran-on-host"];
        // Each scriptlet would leave a trace: on the host by its absolute path, or in the root it was installed into.
        var scriptlets = string.Join("\n", new[] { "pre", "post", "posttrans", "pretrans" }.Select(s => $"%{s}\ntouch {hostMarker} /scriptlet-{s}-ran || :\n"));
        var rpm = await DependencyRpms.BuildAsync(home["rpms"], name,
            install: $"""
                install -D -m 0644 /dev/null %{"{"}buildroot{"}"}/usr/share/{name}/data.txt
                echo data-from-usr > %{"{"}buildroot{"}"}/usr/share/{name}/data.txt
                mkdir -p %{"{"}buildroot{"}"}/etc %{"{"}buildroot{"}"}/opt/{name}
                echo conf-from-etc > %{"{"}buildroot{"}"}/etc/{name}.conf
                echo tool-from-opt > %{"{"}buildroot{"}"}/opt/{name}/tool
                """,
            files: $"/usr/share/{name}/data.txt\n/etc/{name}.conf\n/opt/{name}/tool",
            sections: scriptlets);
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("user"),
            buildScript: $"cat /usr/share/{name}/data.txt /etc/{name}.conf /opt/{name}/tool; test -x /usr/bin/gcc && test -e /etc/os-release && echo host-files-still-there");
        var lease = (await transfer.SrpmLeaseAsync(srpm)) with { Dependencies = await transfer.DependenciesAsync([rpm]) };
        var log = new CollectingBuildLog();

        await Runner(lease, "work", log).RunAsync(CancellationToken.None).WaitAsync(Patience);

        log.Text.ShouldContain($"forgeline: installing 1 build dependency: {name}-1.0-1.noarch.rpm\n");
        log.Text.ShouldContain("data-from-usr\nconf-from-etc\ntool-from-opt\n");
        log.Text.ShouldContain("host-files-still-there\n");
        File.Exists(hostMarker).ShouldBeFalse("a dependency's scriptlet ran on the host");
        Directory.EnumerateFiles(home.Path, "scriptlet-*-ran", SearchOption.AllDirectories).ShouldBeEmpty("a dependency's scriptlet ran in the sandbox");
        File.Exists($"/etc/{name}.conf").ShouldBeFalse();
    }

    private BuildRunner Runner(Core.Workers.JobLease lease, string work, CollectingBuildLog? log = null) =>
        new(transfer, new BubblewrapSandbox(), lease, log ?? new CollectingBuildLog(), home[work]);

    private static string Unique(string prefix) => $"fl-{prefix}-{Guid.NewGuid():N}"[..20];
}

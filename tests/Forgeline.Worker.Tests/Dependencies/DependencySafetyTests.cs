using Forgeline.Core.Workers;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests.Dependencies;

/// <summary>
/// Build dependencies the worker must not trust: corrupt downloads, files that are not RPMs, payloads that try to write
/// outside the dependency root. Each is refused with a reason naming the file, or kept inside the root.
/// </summary>
public sealed class DependencySafetyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly TempDirectory home = new("forgeline-deps-safety");
    private readonly LocalJobTransfer transfer = new();
    private readonly CollectingBuildLog log = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_dependency_whose_bytes_do_not_match_its_digest_is_an_error_and_nothing_is_unpacked_or_built()
    {
        var good = await DependencyRpms.BuildAsync(home["rpms"], Unique("good"), "mkdir -p %{buildroot}/usr/share/good && echo 1 > %{buildroot}/usr/share/good/f", "/usr/share/good/f");
        var bad = await DependencyRpms.BuildAsync(home["rpms"], Unique("bad"), "mkdir -p %{buildroot}/usr/share/bad && echo 2 > %{buildroot}/usr/share/bad/f", "/usr/share/bad/f");
        var corrupt = home["corrupt.rpm"];
        var bytes = await File.ReadAllBytesAsync(bad);
        bytes[^100] ^= 0xff;
        await File.WriteAllBytesAsync(corrupt, bytes);
        var expected = await Core.Sha256Hex.OfFileAsync(bad);
        transfer.Serve(expected, corrupt);
        var lease = await LeaseAsync([new JobDependency(Path.GetFileName(good), await transfer.AddAsync(good)), new JobDependency(Path.GetFileName(bad), expected)]);

        var error = await Should.ThrowAsync<JobErrorException>(() => Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Patience));

        error.Message.ShouldStartWith($"build dependency {Path.GetFileName(bad)} arrived corrupt: its sha256 is ");
        error.Message.ShouldEndWith($", the server stores it as {expected}");
        log.Text.ShouldNotContain("unpacking");
        log.Text.ShouldNotContain("rpmbuild");
        transfer.Uploads.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dependency_that_is_not_an_rpm_or_is_a_source_rpm_fails_the_build_naming_the_file()
    {
        var text = home["notes.rpm"];
        await File.WriteAllTextAsync(text, "this is not an RPM at all, just text long enough to be read as a lead ............................");
        var failure = await Should.ThrowAsync<JobFailedException>(async () =>
            await Runner(await LeaseAsync(await transfer.DependenciesAsync([text]))).RunAsync(CancellationToken.None).WaitAsync(Patience));
        failure.Message.ShouldStartWith("build dependency notes.rpm is not a valid RPM: ");
        failure.Message.ShouldEndWith("; rebuild the package it came from");

        var source = await TestPackages.MakeSrpmAsync(home["src"], Unique("srcdep"));
        var disguised = home["disguised.rpm"];
        File.Copy(source, disguised);
        var refused = await Should.ThrowAsync<JobFailedException>(async () =>
            await Runner(await LeaseAsync(await transfer.DependenciesAsync([disguised])), "work-2").RunAsync(CancellationToken.None).WaitAsync(Patience));
        refused.Message.ShouldStartWith("build dependency disguised.rpm is a source RPM (");
    }

    [Theory]
    [InlineData("../escape.rpm", "is not a plain file name")]
    [InlineData(".hidden.rpm", "is not a plain file name")]
    [InlineData("line\nbreak.rpm", "is not a plain file name")]
    [InlineData("foo.tar.gz", "does not end in .rpm")]
    [InlineData("foo-1-1.src.rpm", "is a source RPM")]
    public async Task A_bad_dependency_name_from_the_server_fails_the_job_before_anything_is_downloaded(string name, string reason)
    {
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("named"));
        var lease = await transfer.SrpmLeaseAsync(srpm) with { Dependencies = [new JobDependency(name, new string('a', 64))] };

        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Patience));

        failure.Message.ShouldContain($"'{name}' {reason}");
        Directory.Exists(home["work/deps"]).ShouldBeFalse();
    }

    [Fact]
    public async Task A_payload_entry_with_dot_dot_lands_inside_the_dependency_root()
    {
        var marker = Unique("escaped");
        // Same length as the name it replaces, so the uncompressed payload keeps its layout.
        var original = "./usr/share/fltrav/" + new string('x', 40);
        var traversal = "./usr/../../../../../../../../../tmp/" + marker;
        traversal = traversal.PadRight(original.Length, 'z');
        var name = Unique("trav");
        var rpm = await DependencyRpms.BuildAsync(home["rpms"], name, $"mkdir -p %{{buildroot}}/usr/share/fltrav && echo escaped > %{{buildroot}}{original[1..]}", original[1..], uncompressed: true);
        DependencyRpms.Patch(rpm, original, traversal).ShouldBe(1, "the payload names the file once");
        var lease = await LeaseAsync(await transfer.DependenciesAsync([rpm]));

        await Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Patience);

        var escaped = Path.GetFileName(traversal);
        File.Exists(Path.Combine("/tmp", escaped)).ShouldBeFalse();
        File.Exists(Path.Combine("/", escaped)).ShouldBeFalse();
        Directory.EnumerateFiles(home.Path, escaped, SearchOption.AllDirectories).ShouldBe([home[$"work/deps/root/tmp/{escaped}"]]);
        log.Text.ShouldContain("Removing leading `./usr/../../../../../../../../../' from member names");
        log.Text.ShouldContain("not shown to the build (only /usr, /etc and /opt of dependencies are): /tmp\n");
    }

    [Fact]
    public async Task A_symlink_out_of_the_root_is_not_written_through_on_the_host()
    {
        var victim = home["victim"];
        Directory.CreateDirectory(victim);
        var share = Unique("share");
        // The first package points a directory of the root at a host directory; the second puts a file "in" it.
        var link = await DependencyRpms.BuildAsync(home["rpms"], Unique("link"), $"mkdir -p %{{buildroot}}/usr/share/{share} && ln -s {victim} %{{buildroot}}/usr/share/{share}/evil", $"/usr/share/{share}/evil");
        var file = await DependencyRpms.BuildAsync(home["rpms"], Unique("file"), $"mkdir -p %{{buildroot}}/usr/share/{share}/evil && echo pwned > %{{buildroot}}/usr/share/{share}/evil/pwned", $"/usr/share/{share}/evil/pwned");
        var lease = await LeaseAsync(await transfer.DependenciesAsync([link, file]));

        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Patience));

        failure.Message.ShouldBe($"unpacking {Path.GetFileName(file)} failed with exit code 2; the end of the build log says why");
        Directory.EnumerateFileSystemEntries(victim).ShouldBeEmpty();
        log.Text.ShouldNotContain("rebuilding");
    }

    [Fact]
    public async Task Dependencies_that_make_usr_a_symlink_are_refused_before_the_build()
    {
        var rpm = await DependencyRpms.BuildAsync(home["rpms"], Unique("usrlink"), "mkdir -p %{buildroot} && ln -s / %{buildroot}/usr", "/usr");
        var lease = await LeaseAsync(await transfer.DependenciesAsync([rpm]));

        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Patience));

        failure.Message.ShouldBe("the build dependencies make /usr a symlink to /, not a directory; fix the package that ships it");
        log.Text.ShouldNotContain("rebuilding");
    }

    private async Task<JobLease> LeaseAsync(IReadOnlyList<JobDependency> dependencies)
    {
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("user"));
        return (await transfer.SrpmLeaseAsync(srpm)) with { Dependencies = dependencies };
    }

    private BuildRunner Runner(JobLease lease, string work = "work") => new(transfer, new BubblewrapSandbox(), lease, log, home[work]);

    private static string Unique(string prefix) => $"fl-{prefix}-{Guid.NewGuid():N}"[..20];
}

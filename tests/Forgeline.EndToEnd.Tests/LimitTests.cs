using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Builds that hang or flood their log, and uploads that are too big or unsafe: each ends with a clear reason.</summary>
public sealed class LimitTests(LimitedServerFixture fixture) : IClassFixture<LimitedServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task A_build_that_hangs_fails_at_the_wall_clock_limit()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "hangs", buildScript: "echo hanging; sleep 600");
        var (code, stdout, _) = await Server.CliAsync("build", dir, "--follow");
        code.ShouldBe(1);
        stdout.ShouldContain("hanging");
        stdout.ShouldContain("timed out after 6s");
    }

    [Fact]
    public async Task A_build_that_floods_its_log_is_stopped_at_the_log_limit()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "floods", buildScript: "yes 'all work and no play' | head -c 2000000000");
        var id = await Server.SubmitAsync(dir);
        var build = await Server.WaitForFinalAsync(id, TimeSpan.FromSeconds(60));
        build.State.ShouldBe("failed");
        build.Reason!.ShouldContain("passed its limit of 200000 bytes");
        build.Artifacts.Single(a => a.Kind == "log").Size.ShouldBeLessThan(200_000 + 64 * 1024);
    }

    [Fact]
    public async Task An_oversized_upload_is_refused_with_413_and_a_message()
    {
        var big = Server.Home["big-1.0-1.src.rpm"];
        await File.WriteAllBytesAsync(big, RandomNumberGenerator.GetBytes(200_000));
        var (code, _, stderr) = await Server.CliAsync("build", big);
        code.ShouldBe(1);
        stderr.ShouldContain("larger than the limit of 65536 bytes");
    }

    [Fact]
    public async Task A_file_that_is_not_an_rpm_is_refused()
    {
        var fake = Server.Home["fake-1.0-1.src.rpm"];
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho I am not an RPM\n");
        var (code, _, stderr) = await Server.CliAsync("build", fake);
        code.ShouldBe(1);
        stderr.ShouldContain("not an RPM");
    }

    [Theory]
    [InlineData("../../escape.spec")]
    [InlineData("/etc/cron.d/evil")]
    public async Task A_tarball_that_escapes_its_directory_is_refused(string entryName)
    {
        var (status, body) = await UploadTarballAsync(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ok.spec") { DataStream = new MemoryStream([1]) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream([1]) });
        });
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("application/problem+json");
        body.ShouldContain(entryName);
    }

    [Fact]
    public async Task A_tarball_with_an_absolute_symlink_is_refused()
    {
        var (status, body) = await UploadTarballAsync(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ok.spec") { DataStream = new MemoryStream([1]) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "passwd") { LinkName = "/etc/passwd" });
        });
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("is absolute");
    }

    private async Task<(HttpStatusCode Status, string Body)> UploadTarballAsync(Action<TarWriter> write)
    {
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        using var http = new HttpClient { BaseAddress = Server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.AdminToken);
        using var content = new ByteArrayContent(archive.ToArray());
        using var response = await http.PostAsync("api/v1/uploads?kind=directory&name=evil.tar.gz", content);
        var store = Server.Home["data/artifacts/sha256"];
        var blobs = (Directory.Exists(store) ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories) : []).Where(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(archive.ToArray()));
        blobs.ShouldBeEmpty("a refused upload leaves nothing in the store");
        return (response.StatusCode, response.Content.Headers.ContentType + " " + await response.Content.ReadAsStringAsync());
    }
}

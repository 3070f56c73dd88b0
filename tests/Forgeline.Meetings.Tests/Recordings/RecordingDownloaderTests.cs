using System.Security.Cryptography;
using Forgeline.Meetings.Recordings;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Recordings;

/// <summary>
/// The recording downloader against a fake download server on a loopback port: a whole download, one continued after a
/// cut connection (with the Range the server saw), a server that ignores Range, the size and checksum checks, the size
/// limit, a refused token, and a redirect to another host that must not get the token.
/// </summary>
public sealed class RecordingDownloaderTests : IAsyncLifetime, IDisposable
{
    private const string Token = "zoom-download-token";
    private static readonly byte[] Video = RandomNumberGenerator.GetBytes(1_500_000);
    private readonly TempDirectory temp = new("forgeline-recordings");
    private readonly RecordingDownloader downloader = new();
    private FakeRecordingServer server = null!;

    private string Partial => temp["meeting.mp4.partial"];

    private static string Sha => Convert.ToHexStringLower(SHA256.HashData(Video));

    public async Task InitializeAsync() => server = await FakeRecordingServer.StartAsync(Video, Token);

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose()
    {
        downloader.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_whole_file_is_downloaded_with_its_size_and_sha256()
    {
        var seen = new List<long>();
        var result = await downloader.DownloadAsync(Request(), new SynchronousProgress(seen.Add), Ct);

        result.Path.ShouldBe(Partial);
        result.Size.ShouldBe(Video.Length);
        result.Sha256.ShouldBe(Sha);
        File.ReadAllBytes(Partial).ShouldBe(Video);
        seen[^1].ShouldBe(Video.Length);
        server.Calls.Single().Header("Authorization").ShouldBe($"Bearer {Token}");
        server.Calls.Single().Header("Range").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_cut_connection_leaves_the_partial_file_and_the_next_call_continues_it()
    {
        server.CutNextAfter(600_000);

        var broken = await Should.ThrowAsync<RecordingDownloadException>(() => downloader.DownloadAsync(Request(), null, Ct));

        broken.Retryable.ShouldBeTrue();
        var kept = new FileInfo(Partial).Length;
        kept.ShouldBeGreaterThan(0);
        kept.ShouldBeLessThanOrEqualTo(600_000);

        var result = await downloader.DownloadAsync(Request(), null, Ct);

        result.Sha256.ShouldBe(Sha);
        var resumed = server.Calls.Last();
        resumed.Header("Range").ShouldBe($"bytes={kept}-");
        resumed.Status.ShouldBe(206);
    }

    [Fact]
    public async Task A_finished_file_of_unknown_size_is_checked_again_not_downloaded_again()
    {
        var first = await downloader.DownloadAsync(Request() with { ExpectedSize = null }, null, Ct);

        var again = await downloader.DownloadAsync(Request() with { ExpectedSize = null }, null, Ct);

        again.ShouldBe(first);
        server.Calls.Last().Header("Range").ShouldBe($"bytes={Video.Length}-");
        server.Calls.Last().Status.ShouldBe(416);
    }

    [Fact]
    public async Task A_server_ignoring_range_makes_the_download_start_again()
    {
        File.WriteAllBytes(Partial, Video.AsSpan(0, 400_000).ToArray());
        server.IgnoreRange = true;

        var result = await downloader.DownloadAsync(Request(), null, Ct);

        server.Calls.Single().Header("Range").ShouldBe("bytes=400000-");
        server.Calls.Single().Status.ShouldBe(200);
        result.Size.ShouldBe(Video.Length);
        result.Sha256.ShouldBe(Sha);
    }

    [Fact]
    public async Task A_file_of_another_size_than_zoom_said_is_deleted_and_refused()
    {
        server.Content = Video.AsSpan(0, 1_234_567).ToArray();

        var wrong = await Should.ThrowAsync<RecordingDownloadException>(() => downloader.DownloadAsync(Request(), null, Ct));

        wrong.Retryable.ShouldBeFalse();
        wrong.Message.ShouldContain("is 1,234,567 bytes, Zoom said 1,500,000");
        wrong.Message.ShouldNotContain(Token);
        File.Exists(Partial).ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_with_another_checksum_is_deleted_and_refused()
    {
        var other = (byte[])Video.Clone();
        other[700_000] ^= 0xFF;
        server.Content = other;

        var wrong = await Should.ThrowAsync<RecordingDownloadException>(
            () => downloader.DownloadAsync(Request() with { ExpectedSha256 = Sha }, null, Ct));

        wrong.Retryable.ShouldBeFalse();
        wrong.Message.ShouldContain($"has checksum sha256:{Convert.ToHexStringLower(SHA256.HashData(other))}, Zoom said sha256:{Sha}");
        File.Exists(Partial).ShouldBeFalse();
    }

    [Fact]
    public async Task A_download_over_the_limit_is_stopped()
    {
        var tooLarge = await Should.ThrowAsync<RecordingDownloadException>(
            () => downloader.DownloadAsync(Request() with { ExpectedSize = null, MaxBytes = 1_000_000 }, null, Ct));

        tooLarge.Retryable.ShouldBeFalse();
        tooLarge.Message.ShouldContain("more than the limit of 1,000,000");
        File.Exists(Partial).ShouldBeFalse();
    }

    [Fact]
    public async Task A_refused_token_is_not_retryable_and_a_server_error_is()
    {
        var refused = await Should.ThrowAsync<RecordingDownloadException>(
            () => downloader.DownloadAsync(Request() with { BearerToken = "expired" }, null, Ct));
        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldContain("401");
        refused.Message.ShouldContain("download token");
        refused.Message.ShouldNotContain("expired\"");

        server.FailNext(1, 503);
        var failed = await Should.ThrowAsync<RecordingDownloadException>(() => downloader.DownloadAsync(Request(), null, Ct));
        failed.Retryable.ShouldBeTrue();
        failed.Message.ShouldContain("503");
    }

    [Fact]
    public async Task A_redirect_to_another_host_does_not_carry_the_token()
    {
        await using var cdn = await FakeRecordingServer.StartAsync(Video);
        server.RedirectTarget = cdn.FileUrl("signed.mp4?sig=abc");

        var result = await downloader.DownloadAsync(Request() with { Url = server.RedirectUrl }, null, Ct);

        result.Sha256.ShouldBe(Sha);
        server.Calls.Single().Header("Authorization").ShouldBe($"Bearer {Token}");
        server.Calls.Single().Status.ShouldBe(302);
        cdn.Calls.Single().Header("Authorization").ShouldBeEmpty();
        cdn.Calls.Single().Query.ShouldBe("?sig=abc");
    }

    private RecordingDownload Request() =>
        new(server.FileUrl(), Partial, Token, ExpectedSize: Video.Length, Source: "Zoom");

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>Reports on the calling thread, so the test sees every report before the download returns.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}

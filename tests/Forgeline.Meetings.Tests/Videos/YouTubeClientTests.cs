using System.Security.Cryptography;
using System.Text;
using Forgeline.Meetings.Videos;
using Forgeline.Meetings.Videos.YouTube;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Videos;

/// <summary>
/// The YouTube client against a fake YouTube on a loopback port: a few-MiB file in 256 KiB chunks whose bytes arrive
/// whole (same SHA-256) after a cut connection and a 503, the metadata as YouTube limits it, a used-up quota, and an
/// upload given up and continued by publishing again.
/// </summary>
public sealed class YouTubeClientTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Video = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 12_345);
    private readonly TempDirectory temp = new("forgeline-youtube");
    private readonly HttpClient http = new();
    private FakeYouTube youTube = null!;
    private YouTubeClient client = null!;

    private static string Sha => Convert.ToHexStringLower(SHA256.HashData(Video));

    public async Task InitializeAsync()
    {
        youTube = await FakeYouTube.StartAsync();
        client = Client();
        await File.WriteAllBytesAsync(temp["meeting.mp4"], Video);
    }

    public async Task DisposeAsync() => await youTube.DisposeAsync();

    public void Dispose()
    {
        client.Dispose();
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_file_is_uploaded_in_chunks_and_arrives_whole_after_a_cut_connection()
    {
        youTube.DropConnectionAt(1_000_000);

        var video = await client.PublishAsync(Upload(), Ct);

        video.Url.ToString().ShouldBe($"https://www.youtube.com/watch?v={video.Id}");
        var (resource, bytes) = youTube.Videos[video.Id];
        Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(Sha);
        resource["snippet"]!["title"]!.GetValue<string>().ShouldBe("sig-release weekly, 2027-01-12");
        resource["snippet"]!["categoryId"]!.GetValue<string>().ShouldBe("28");
        resource["status"]!["privacyStatus"]!.GetValue<string>().ShouldBe("unlisted");
        resource["snippet"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["sig-release", "meeting"]);

        var start = youTube.Calls.First(c => c.Method == "POST" && c.Path.StartsWith("/upload", StringComparison.Ordinal));
        start.Query.ShouldContain("uploadType=resumable");
        start.Header("X-Upload-Content-Length").ShouldBe(Video.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Header("X-Upload-Content-Type").ShouldBe("video/mp4");
        var puts = youTube.Calls.Where(c => c.Method == "PUT").ToList();
        puts[0].Header("Content-Range").ShouldBe("bytes 0-262143/3158073");
        puts.ShouldContain(c => c.Status == 0, "the connection was cut");
        puts.ShouldContain(c => c.Header("Content-Range") == "bytes */3158073" && c.Status == 308, "the client asked what the session had");
        puts.ShouldContain(c => c.Header("Content-Range").StartsWith("bytes 1000000-", StringComparison.Ordinal), "the client continued from what the session had");
        puts[^1].Status.ShouldBe(201);
        youTube.SessionsOpened.ShouldBe(1);
        youTube.Calls.Count(c => c.Path == "/token").ShouldBe(1);
    }

    [Fact]
    public async Task A_503_in_the_middle_is_retried_from_what_the_session_has()
    {
        var first = await client.PublishAsync(Upload() with { IdempotencyKey = "warm-up" }, Ct);
        youTube.FailNextChunks(2);

        var video = await client.PublishAsync(Upload(), Ct);

        video.Id.ShouldNotBe(first.Id);
        Convert.ToHexStringLower(SHA256.HashData(youTube.Videos[video.Id].Bytes)).ShouldBe(Sha);
        youTube.Calls.Count(c => c.Method == "PUT" && c.Status == 503).ShouldBe(2);
    }

    [Fact]
    public async Task A_long_title_is_shortened_to_100_characters_and_angle_brackets_are_replaced()
    {
        var title = "<sig-infra> " + new string('x', 150);
        var description = new string('é', 4000);

        var video = await client.PublishAsync(Upload() with { Title = title, Description = description }, Ct);

        var snippet = youTube.Videos[video.Id].Resource["snippet"]!;
        var sent = snippet["title"]!.GetValue<string>();
        sent.Length.ShouldBe(100);
        sent.ShouldStartWith("‹sig-infra› xxx");
        sent.ShouldEndWith("…");
        Encoding.UTF8.GetByteCount(snippet["description"]!.GetValue<string>()).ShouldBeLessThanOrEqualTo(5000);
    }

    [Fact]
    public async Task An_empty_title_is_refused_before_anything_is_sent()
    {
        var refused = await Should.ThrowAsync<VideoPlatformException>(() => client.PublishAsync(Upload() with { Title = "  " }, Ct));

        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldContain("has no title");
        youTube.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_used_up_quota_is_not_retryable_and_carries_googles_message()
    {
        youTube.QuotaExceeded = true;

        var refused = await Should.ThrowAsync<VideoPlatformException>(() => client.PublishAsync(Upload(), Ct));

        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldContain("403 quotaExceeded: The request cannot be completed because you have exceeded your quota.");
        refused.Message.ShouldContain("midnight Pacific Time");
    }

    [Fact]
    public async Task A_refused_refresh_token_names_the_setting_and_no_secret()
    {
        using var wrong = new YouTubeClient(http, Options(o => o.RefreshToken = "1//revoked"), TimeProvider.System);

        var refused = await Should.ThrowAsync<VideoPlatformException>(() => wrong.PublishAsync(Upload(), Ct));

        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldContain("invalid_grant");
        refused.Message.ShouldContain("Forgeline:Meetings:Videos:YouTube:RefreshToken");
        refused.Message.ShouldNotContain("1//revoked");
        refused.Message.ShouldNotContain(youTube.ClientSecret);
    }

    [Fact]
    public async Task An_upload_given_up_is_continued_by_publishing_again_with_the_same_key()
    {
        using var impatient = new YouTubeClient(http, Options(o => o.MaxChunkRetries = 1), TimeProvider.System);
        youTube.FailNextChunks(3);

        var gaveUp = await Should.ThrowAsync<VideoPlatformException>(() => impatient.PublishAsync(Upload(), Ct));
        gaveUp.Retryable.ShouldBeTrue();
        gaveUp.Message.ShouldContain("publishing again continues it");

        var video = await impatient.PublishAsync(Upload(), Ct);
        var again = await impatient.PublishAsync(Upload(), Ct);

        again.ShouldBe(video);
        youTube.SessionsOpened.ShouldBe(1);
        Convert.ToHexStringLower(SHA256.HashData(youTube.Videos[video.Id].Bytes)).ShouldBe(Sha);
    }

    [Fact]
    public void The_backend_reads_its_settings_and_names_what_is_missing()
    {
        var missing = Should.Throw<VideoPlatformException>(() => VideoPlatformBackends.Find("YouTube")!.Create(_ => null, http, TimeProvider.System));
        missing.Message.ShouldContain("Forgeline:Meetings:Videos:YouTube:ClientId is not set");
        missing.Message.ShouldContain("Forgeline:Meetings:Videos:YouTube:RefreshToken");

        var settings = new Dictionary<string, string?> { ["ClientId"] = "c", ["ClientSecret"] = "s", ["RefreshToken"] = "r", ["ChunkSize"] = "1000" };
        Should.Throw<VideoPlatformException>(() => YouTubeBackend.Options(k => settings.GetValueOrDefault(k))).Message.ShouldContain("multiple of 262144");
        settings["ChunkSize"] = "524288";
        YouTubeBackend.Options(k => settings.GetValueOrDefault(k)).ChunkSize.ShouldBe(524288);
    }

    private YouTubeClient Client() => new(http, Options(), TimeProvider.System);

    /// <summary>The options against the fake: 256 KiB chunks, no waiting between retries, then <paramref name="change"/>.</summary>
    private YouTubeOptions Options(Action<YouTubeOptions>? change = null)
    {
        var options = new YouTubeOptions
        {
            ClientId = youTube.ClientId,
            ClientSecret = youTube.ClientSecret,
            RefreshToken = youTube.RefreshToken,
            TokenUrl = youTube.TokenUrl,
            UploadUrl = youTube.UploadUrl,
            ChunkSize = YouTubeOptions.ChunkUnit,
            RetryDelay = TimeSpan.Zero,
        };
        change?.Invoke(options);
        return options;
    }

    private VideoUpload Upload() => new(
        temp["meeting.mp4"], Video.Length, Sha, "sig-release weekly, 2027-01-12", "Recording of the weekly meeting.",
        ["sig-release", "meeting"], "meeting-42/file-abc");

    private static CancellationToken Ct => CancellationToken.None;
}

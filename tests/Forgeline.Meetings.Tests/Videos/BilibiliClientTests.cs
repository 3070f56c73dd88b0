using System.Security.Cryptography;
using Forgeline.Meetings.Videos;
using Forgeline.Meetings.Videos.Bilibili;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Videos;

/// <summary>
/// The Bilibili client against a fake open platform on a loopback port: init, parts numbered from 1 (retried after a
/// 503 and a cut connection), complete and submit, the joined bytes the same as the file's; errors that come as
/// HTTP 200 with a non-zero code; an upload continued by publishing again.
/// </summary>
public sealed class BilibiliClientTests : IAsyncLifetime, IDisposable
{
    private const int Part = 1024 * 1024;
    private static readonly byte[] Video = RandomNumberGenerator.GetBytes((3 * Part) + 777);
    private readonly TempDirectory temp = new("forgeline-bilibili");
    private readonly HttpClient http = new();
    private FakeBilibili bilibili = null!;

    private static string Sha => Convert.ToHexStringLower(SHA256.HashData(Video));

    public async Task InitializeAsync()
    {
        bilibili = await FakeBilibili.StartAsync();
        await File.WriteAllBytesAsync(temp["meeting.mp4"], Video);
    }

    public async Task DisposeAsync() => await bilibili.DisposeAsync();

    public void Dispose()
    {
        http.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task A_file_is_uploaded_in_parts_joined_and_submitted()
    {
        bilibili.FailNextParts(1);

        var video = await Client().PublishAsync(Upload(), Ct);

        video.Id.ShouldStartWith("BV");
        video.Url.ToString().ShouldBe($"https://www.bilibili.com/video/{video.Id}");
        var (archive, bytes) = bilibili.Videos[video.Id];
        Convert.ToHexStringLower(SHA256.HashData(bytes)).ShouldBe(Sha);
        archive["title"]!.GetValue<string>().ShouldBe("sig-release weekly, 2027-01-12");
        archive["tid"]!.GetValue<int>().ShouldBe(231);
        archive["tag"]!.GetValue<string>().ShouldBe("sig-release,meeting");
        archive["desc"]!.GetValue<string>().ShouldBe("Recording of the weekly meeting.");
        archive["copyright"]!.GetValue<int>().ShouldBe(1);

        var paths = bilibili.Calls.Where(c => c.Status == 200).Select(c => c.Path).ToList();
        paths.ShouldBe([
            "/arcopen/fn/archive/video/init",
            "/video/v2/part/upload", "/video/v2/part/upload", "/video/v2/part/upload", "/video/v2/part/upload",
            "/arcopen/fn/archive/video/complete",
            "/arcopen/fn/archive/add-by-utoken",
        ]);
        bilibili.Calls.Where(c => c.Path == "/video/v2/part/upload" && c.Status == 200)
            .Select(c => c.Query[c.Query.IndexOf("part_number=", StringComparison.Ordinal)..]).ShouldBe(["part_number=1", "part_number=2", "part_number=3", "part_number=4"]);
        bilibili.Calls.ShouldContain(c => c.Path == "/video/v2/part/upload" && c.Status == 503);
    }

    [Fact]
    public async Task A_cut_connection_during_a_part_sends_that_part_again()
    {
        bilibili.DropNextParts(1);

        var video = await Client().PublishAsync(Upload(), Ct);

        Convert.ToHexStringLower(SHA256.HashData(bilibili.Videos[video.Id].Bytes)).ShouldBe(Sha);
        bilibili.Calls.Count(c => c.Path == "/video/v2/part/upload" && c.Status == 0).ShouldBe(1);
    }

    [Fact]
    public async Task An_error_code_in_a_200_answer_is_a_refusal_with_bilibilis_message()
    {
        bilibili.RefuseNextSubmit(21_001, "标题包含敏感词 (the title contains a banned word)");
        var client = Client();

        var refused = await Should.ThrowAsync<VideoPlatformException>(() => client.PublishAsync(Upload(), Ct));

        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldBe("Bilibili refused to submit the video: code 21001: 标题包含敏感词 (the title contains a banned word)");

        var video = await client.PublishAsync(Upload(), Ct);
        bilibili.Calls.Count(c => c.Path == "/arcopen/fn/archive/video/init").ShouldBe(1, "the upload was kept and only submitted again");
        bilibili.Calls.Count(c => c.Path == "/video/v2/part/upload").ShouldBe(4);
        bilibili.Videos.ShouldContainKey(video.Id);
    }

    [Fact]
    public async Task A_wrong_access_token_is_refused_without_showing_it()
    {
        var wrong = new BilibiliClient(http, Options(o => o.AccessToken = "expired-token-value"), TimeProvider.System);

        var refused = await Should.ThrowAsync<VideoPlatformException>(() => wrong.PublishAsync(Upload(), Ct));

        refused.Retryable.ShouldBeFalse();
        refused.Message.ShouldContain("code -101");
        refused.Message.ShouldNotContain("expired-token-value");
    }

    [Fact]
    public async Task A_long_title_is_shortened_to_80_characters_and_a_video_needs_a_tag()
    {
        var video = await Client().PublishAsync(Upload() with { Title = new string('标', 120) }, Ct);
        bilibili.Videos[video.Id].Archive["title"]!.GetValue<string>().Length.ShouldBe(80);

        var untagged = await Should.ThrowAsync<VideoPlatformException>(() => Client().PublishAsync(Upload() with { Tags = [" "], IdempotencyKey = "other" }, Ct));
        untagged.Message.ShouldContain("has no tags");
    }

    [Fact]
    public void The_backend_reads_its_settings_and_names_what_is_missing()
    {
        var missing = Should.Throw<VideoPlatformException>(() => VideoPlatformBackends.Find("bilibili")!.Create(_ => null, http, TimeProvider.System));
        missing.Message.ShouldContain("Forgeline:Meetings:Videos:Bilibili:ClientId is not set");
        missing.Message.ShouldContain("Forgeline:Meetings:Videos:Bilibili:Tid is not set");
        missing.Message.ShouldContain("Forgeline:Meetings:Videos:Bilibili:AccessToken");

        Environment.SetEnvironmentVariable("FORGELINE_TEST_BILI_TOKEN", "from-env");
        var settings = new Dictionary<string, string?> { ["ClientId"] = "c", ["Tid"] = "231", ["AccessToken"] = "env:FORGELINE_TEST_BILI_TOKEN" };
        var options = BilibiliBackend.Options(k => settings.GetValueOrDefault(k));
        options.AccessToken.ShouldBe("from-env");
        options.Tid.ShouldBe(231);
        settings["Copyright"] = "3";
        Should.Throw<VideoPlatformException>(() => BilibiliBackend.Options(k => settings.GetValueOrDefault(k))).Message.ShouldContain("use 1 (own video) or 2 (repost)");
    }

    private BilibiliClient Client() => new(http, Options(), TimeProvider.System);

    /// <summary>The options against the fake: 1 MiB parts, no waiting between retries, then <paramref name="change"/>.</summary>
    private BilibiliOptions Options(Action<BilibiliOptions>? change = null)
    {
        var options = new BilibiliOptions
        {
            ClientId = bilibili.ClientId,
            AccessToken = bilibili.AccessToken,
            Tid = 231,
            ChunkSize = Part,
            RetryDelay = TimeSpan.Zero,
            ApiBaseUrl = bilibili.BaseUrl,
            UploadBaseUrl = bilibili.BaseUrl,
        };
        change?.Invoke(options);
        return options;
    }

    private VideoUpload Upload() => new(
        temp["meeting.mp4"], Video.Length, Sha, "sig-release weekly, 2027-01-12", "Recording of the weekly meeting.",
        ["sig-release", "meeting"], "meeting-42/file-abc");

    private static CancellationToken Ct => CancellationToken.None;
}

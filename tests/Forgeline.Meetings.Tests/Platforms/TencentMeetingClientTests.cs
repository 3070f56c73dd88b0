using System.Globalization;
using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Platforms.Tencent;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>
/// The Tencent Meeting client against a fake Tencent Meeting on a loopback port that checks every request's signature
/// as Tencent documents it: the bodies (Unix-second times, meeting_type and recurring_rule), cancelling, and the errors
/// (429, 500, Tencent's error codes whatever the status) as retryable or not, never showing the SecretKey.
/// </summary>
public sealed class TencentMeetingClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2027, 1, 12, 14, 0, 0, TimeSpan.FromHours(1));
    private readonly HttpClient http = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private FakeTencentMeeting tencent = null!;
    private TencentMeetingClient client = null!;

    public async Task InitializeAsync()
    {
        tencent = await FakeTencentMeeting.StartAsync(time);
        client = new TencentMeetingClient(http, Options(), time);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await tencent.DisposeAsync();
    }

    [Fact]
    public async Task A_meeting_is_created_changed_and_cancelled_with_the_fields_and_signature_tencent_expects()
    {
        var created = await client.CreateAsync(Request(), Ct);

        var meeting = tencent.Meetings[created.Id];
        meeting["userid"]!.GetValue<string>().ShouldBe(tencent.UserId);
        meeting["instanceid"]!.GetValue<int>().ShouldBe(1);
        meeting["subject"]!.GetValue<string>().ShouldBe("sig-release weekly");
        meeting["type"]!.GetValue<int>().ShouldBe(0);
        meeting["start_time"]!.GetValue<string>().ShouldBe(Seconds(Start));
        meeting["end_time"]!.GetValue<string>().ShouldBe(Seconds(Start.AddHours(1)));
        meeting["meeting_type"]!.GetValue<int>().ShouldBe(0);
        meeting.ContainsKey("recurring_rule").ShouldBeFalse();
        created.JoinUrl.ShouldStartWith("https://meeting.tencent.com/dm/");
        var post = tencent.Calls.Single(c => c.Method == "POST" && c.Path == "/v1/meetings");
        post.Status.ShouldBe(200);
        post.Header("X-TC-Registered").ShouldBe("1");
        post.Header("AppId").ShouldBe(tencent.AppId);
        post.Header("SdkId").ShouldBe(tencent.SdkId);
        post.Header("X-TC-Timestamp").ShouldBe(time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        await client.UpdateAsync(created.Id, Request() with { Topic = "sig-release (moved)", DurationMinutes = 90 }, Ct);
        meeting = tencent.Meetings[created.Id];
        meeting["subject"]!.GetValue<string>().ShouldBe("sig-release (moved)");
        meeting["end_time"]!.GetValue<string>().ShouldBe(Seconds(Start.AddMinutes(90)));
        tencent.Calls.ShouldContain(c => c.Method == "PUT" && c.Path == "/v1/meetings/" + created.Id && c.Status == 200);

        await client.DeleteAsync(created.Id, Ct);
        tencent.Meetings.ShouldBeEmpty();
        var cancel = tencent.Calls.Single(c => c.Path == $"/v1/meetings/{created.Id}/cancel").Json;
        cancel.GetProperty("reason_code").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData(MeetingRecurrence.Weekly, 10, 2)]
    [InlineData(MeetingRecurrence.Biweekly, 6, 3)]
    [InlineData(MeetingRecurrence.Monthly, 12, 4)]
    public async Task A_repeating_meeting_is_a_recurring_meeting_that_ends_after_its_count(MeetingRecurrence recurrence, int count, int recurringType)
    {
        await client.CreateAsync(Request() with { Recurrence = recurrence, Occurrences = count }, Ct);

        var body = tencent.Calls.Single(c => c.Method == "POST" && c.Path == "/v1/meetings").Json;
        body.GetProperty("meeting_type").GetInt32().ShouldBe(1);
        var rule = body.GetProperty("recurring_rule");
        rule.GetProperty("recurring_type").GetInt32().ShouldBe(recurringType);
        rule.GetProperty("until_type").GetInt32().ShouldBe(1);
        rule.GetProperty("until_count").GetInt32().ShouldBe(count);
    }

    [Fact]
    public async Task Cancelling_a_meeting_tencent_does_not_know_is_success_though_tencent_answers_500()
    {
        await client.DeleteAsync("13999999999999999999", Ct);

        tencent.Calls.ShouldContain(c => c.Path.EndsWith("/cancel", StringComparison.Ordinal) && c.Status == 500);
    }

    [Fact]
    public async Task Changing_a_meeting_tencent_does_not_know_is_not_retryable_though_tencent_answers_500()
    {
        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.UpdateAsync("13999999999999999999", Request(), Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldContain("MEETING NOT EXIST (error 9003)");
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Mon, 07 Dec 2026 12:00:30 GMT", 30)]
    public async Task A_rate_limit_is_retryable_and_names_retry_after(string header, int seconds)
    {
        tencent.FailNext(1, 429, header);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(seconds));
        error.Message.ShouldContain($"Tencent Meeting's rate limit was reached (429); retry after {seconds} seconds (Retry-After)");
    }

    [Fact]
    public async Task A_server_error_is_retryable()
    {
        tencent.FailNext(1, 500);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("failed with 500");
    }

    [Fact]
    public async Task A_refusal_is_not_retryable_and_carries_tencents_message()
    {
        var other = new TencentMeetingClient(http, Options(userId: "nobody"), time);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => other.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldBe("Tencent Meeting refused to create the meeting: 400: user not exist: nobody (error 20001)");
    }

    [Theory]
    [InlineData("a-wrong-secret-key", 0)]
    [InlineData(null, 10)]
    public async Task A_wrong_key_or_clock_is_a_clear_refusal_that_shows_no_secret(string? secretKey, int minutesOff)
    {
        var skewed = new FakeTimeProvider(time.GetUtcNow().AddMinutes(minutesOff));
        var other = new TencentMeetingClient(http, Options(secretKey: secretKey), skewed);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => other.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldStartWith("Tencent Meeting refused the app's signature (check the Tencent Meeting SecretId, SecretKey, AppId and SdkId settings): 400: Signature failed");
        error.Message.ShouldContain("(error 200003)");
        foreach (var secret in new[] { tencent.SecretKey, "a-wrong-secret-key" }.Concat(tencent.Calls.Select(c => c.Header("X-TC-Signature"))))
        {
            error.ToString().ShouldNotContain(secret);
        }
    }

    [Theory]
    [InlineData("env")]
    [InlineData("file")]
    public async Task The_backend_reads_the_secret_key_from_env_or_file(string source)
    {
        var variable = $"FORGELINE_TEST_TENCENT_KEY_{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), $"forgeline-tencent-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable(variable, tencent.SecretKey);
        await File.WriteAllTextAsync(path, tencent.SecretKey + "\n");
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["AppId"] = tencent.AppId,
                ["SdkId"] = tencent.SdkId,
                ["SecretId"] = tencent.SecretId,
                ["SecretKey"] = source == "env" ? $"env:{variable}" : $"file:{path}",
                ["UserId"] = tencent.UserId,
                ["ApiBaseUrl"] = tencent.ApiBaseUrl,
            };
            var platform = new TencentMeetingBackend().Create(k => settings.GetValueOrDefault(k), http, time);

            var created = await platform.CreateAsync(Request(), Ct);

            tencent.Meetings.ShouldContainKey(created.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_recording_file_s_address_is_asked_for_signed_with_the_booking_user_as_operator()
    {
        tencent.Recordings["rec-1"] = ("13339451618278424869", new Uri("https://download.example/rec-1.mp4?sign=abc"));

        var location = await client.LocateAsync("rec-1", Ct);

        location.DownloadUrl.ShouldBe(new Uri("https://download.example/rec-1.mp4?sign=abc"));
        location.Size.ShouldBeNull();
        var call = tencent.Calls.Single(c => c.Path == "/v1/addresses/rec-1");
        (call.Method, call.Status).ShouldBe(("GET", 200));
        call.Query.ShouldContain($"operator_id={tencent.UserId}");
        call.Query.ShouldContain("operator_id_type=1");

        var unknown = await Should.ThrowAsync<MeetingPlatformException>(() => client.LocateAsync("no-such-file", Ct));
        unknown.Retryable.ShouldBeFalse();
        unknown.Message.ShouldNotContain(tencent.SecretKey);
    }

    [Fact]
    public void The_webhook_token_is_optional_and_read_like_a_secret()
    {
        var settings = new Dictionary<string, string?> { ["AppId"] = "a", ["SecretId"] = "i", ["SecretKey"] = "k", ["UserId"] = "u" };
        TencentMeetingBackend.Options(key => settings.GetValueOrDefault(key)).WebhookToken.ShouldBe("");

        settings["WebhookToken"] = "env:FORGELINE_TEST_NO_SUCH_TENCENT_TOKEN";
        Should.Throw<MeetingPlatformException>(() => TencentMeetingBackend.Options(key => settings.GetValueOrDefault(key)))
            .Message.ShouldContain("Forgeline:Meetings:Tencent:WebhookToken");

        settings["WebhookToken"] = "plain-token";
        TencentMeetingBackend.Options(key => settings.GetValueOrDefault(key)).WebhookToken.ShouldBe("plain-token");
    }

    private static CancellationToken Ct => CancellationToken.None;

    private static string Seconds(DateTimeOffset instant) => instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private TencentMeetingOptions Options(string? userId = null, string? secretKey = null) => new()
    {
        AppId = tencent.AppId,
        SdkId = tencent.SdkId,
        SecretId = tencent.SecretId,
        SecretKey = secretKey ?? tencent.SecretKey,
        UserId = userId ?? tencent.UserId,
        ApiBaseUrl = tencent.ApiBaseUrl,
    };

    private static PlatformMeetingRequest Request() => new("sig-release weekly", "https://example.org/agenda", Start, "Europe/Berlin", 60);
}

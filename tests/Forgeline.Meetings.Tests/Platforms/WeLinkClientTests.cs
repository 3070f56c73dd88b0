using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Platforms.WeLink;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>
/// The WeLink (Huawei Cloud Meeting) client against a fake on a loopback port that checks the App ID authentication as
/// Huawei documents it: the conference bodies (UTC start, length, cycleParams in the configured zone), the token's reuse
/// and refresh, and the errors (429, 500, 400 with Huawei's message, 401) as retryable or not, never showing a secret.
/// </summary>
public sealed class WeLinkClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2027, 1, 12, 14, 0, 0, TimeSpan.FromHours(1));
    private readonly HttpClient http = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private FakeWeLink welink = null!;
    private WeLinkClient client = null!;

    public async Task InitializeAsync()
    {
        welink = await FakeWeLink.StartAsync(time);
        client = new WeLinkClient(http, Options(), time);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        http.Dispose();
        await welink.DisposeAsync();
    }

    [Fact]
    public async Task A_conference_is_created_changed_and_deleted_with_the_fields_huawei_expects()
    {
        var created = await client.CreateAsync(Request(), Ct);

        var conference = welink.Conferences[created.Id];
        conference["subject"]!.GetValue<string>().ShouldBe("sig-release weekly");
        conference["startTime"]!.GetValue<string>().ShouldBe("2027-01-12 13:00");
        conference["length"]!.GetValue<int>().ShouldBe(60);
        conference["mediaTypes"]!.GetValue<string>().ShouldBe("HDVideo");
        conference["conferenceType"]!.GetValue<int>().ShouldBe(0);
        conference.ContainsKey("cycleParams").ShouldBeFalse();
        conference["confConfigInfo"]!["isSendNotify"]!.GetValue<bool>().ShouldBeFalse();
        created.JoinUrl.ShouldBe($"https://meeting.huaweicloud.com/#/j/{created.Id}/guest");
        created.HostUrl.ShouldBe($"https://meeting.huaweicloud.com/#/j/{created.Id}/chair");
        created.Passcode.ShouldBe(conference["guestPwd"]!.GetValue<string>());

        await client.UpdateAsync(created.Id, Request() with { Topic = "sig-release (moved)", DurationMinutes = 90 }, Ct);
        conference = welink.Conferences[created.Id];
        conference["subject"]!.GetValue<string>().ShouldBe("sig-release (moved)");
        conference["length"]!.GetValue<int>().ShouldBe(90);
        welink.Calls.ShouldContain(c => c.Method == "PUT" && c.Query == "?conferenceID=" + created.Id && c.Status == 200);

        await client.DeleteAsync(created.Id, Ct);
        welink.Conferences.ShouldBeEmpty();
        welink.Calls.Where(c => c.Path.StartsWith("/v1/", StringComparison.Ordinal)).ShouldAllBe(c => c.Header("X-Access-Token").StartsWith("wl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MeetingRecurrence.Weekly, 10, "Week", 1, 2, "2027-03-16")]
    [InlineData(MeetingRecurrence.Biweekly, 6, "Week", 2, 2, "2027-03-23")]
    [InlineData(MeetingRecurrence.Monthly, 12, "Month", 1, 12, "2027-12-12")]
    public async Task A_repeating_meeting_is_a_cycle_conference_in_the_configured_zone(MeetingRecurrence recurrence, int count, string cycle, int interval, int point, string endDate)
    {
        // 14:00 in Berlin on Tuesday 2027-01-12 is 21:00 on the same Tuesday in Shanghai (timeZoneID 56): weekday 2.
        await client.CreateAsync(Request() with { Recurrence = recurrence, Occurrences = count }, Ct);

        var body = welink.Calls.Single(c => c.Method == "POST" && c.Path == "/v1/mmc/management/conferences").Json;
        body.GetProperty("conferenceType").GetInt32().ShouldBe(1);
        body.GetProperty("timeZoneID").GetString().ShouldBe("56");
        var parameters = body.GetProperty("cycleParams");
        parameters.GetProperty("cycle").GetString().ShouldBe(cycle);
        parameters.GetProperty("interval").GetInt32().ShouldBe(interval);
        parameters.GetProperty("point").EnumerateArray().Select(p => p.GetInt32()).ShouldBe([point]);
        parameters.GetProperty("startDate").GetString().ShouldBe("2027-01-12");
        parameters.GetProperty("endDate").GetString().ShouldBe(endDate);
    }

    [Fact]
    public async Task The_token_is_reused_until_shortly_before_it_expires()
    {
        await client.CreateAsync(Request(), Ct);
        await client.CreateAsync(Request(), Ct);
        welink.TokensIssued.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(welink.TokenLifetimeSeconds) - WeLinkClient.TokenMargin);
        await client.CreateAsync(Request(), Ct);

        welink.TokensIssued.ShouldBe(2);
        var auth = welink.Calls.First(c => c.Path == "/v2/usg/acs/auth/appauth");
        auth.Header("X-Token-Type").ShouldBe("LongTicket");
        auth.Header("Authorization").ShouldStartWith("HMAC-SHA256 signature=");
        auth.Json.GetProperty("clientType").GetInt32().ShouldBe(72);
    }

    [Fact]
    public async Task A_revoked_token_is_replaced_once_on_401()
    {
        await client.CreateAsync(Request(), Ct);
        welink.RevokeTokens();

        await client.CreateAsync(Request(), Ct);

        welink.TokensIssued.ShouldBe(2);
        welink.Calls.Count(c => c.Status == 401).ShouldBe(1);
        welink.Conferences.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Mon, 07 Dec 2026 12:00:30 GMT", 30)]
    public async Task A_rate_limit_is_retryable_and_names_retry_after(string header, int seconds)
    {
        await client.CreateAsync(Request(), Ct);
        welink.FailNext(1, 429, header);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(seconds));
        error.Message.ShouldContain($"WeLink's rate limit was reached (429); retry after {seconds} seconds (Retry-After)");
    }

    [Fact]
    public async Task A_server_error_is_retryable()
    {
        await client.CreateAsync(Request(), Ct);
        welink.FailNext(1, 500);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.UpdateAsync("914000001", Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("WeLink failed with 500: System error (MMC.000000500); retry later");
    }

    [Fact]
    public async Task A_refused_body_is_not_retryable_and_carries_huaweis_message()
    {
        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request() with { DurationMinutes = 10 }, Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldBe($"WeLink refused to create the meeting: 400: length 10 is out of range: a conference lasts 15 to 1440 minutes ({FakeWeLink.ParameterError})");
    }

    [Fact]
    public async Task Deleting_a_conference_huawei_does_not_know_is_success()
    {
        await client.DeleteAsync("914999999", Ct);

        welink.Calls.ShouldContain(c => c.Method == "DELETE" && c.Status == 404);
    }

    [Fact]
    public async Task A_wrong_app_key_is_a_clear_refusal_and_no_error_shows_a_secret_or_a_token()
    {
        var errors = new List<MeetingPlatformException>();
        using var wrong = new WeLinkClient(http, Options("a-wrong-app-key"), time);
        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => wrong.CreateAsync(Request(), Ct)));
        await client.CreateAsync(Request(), Ct);
        welink.FailNext(1, 500, "3");
        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct)));
        welink.FailNext(2, 401);
        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct)));

        errors[0].Retryable.ShouldBeFalse();
        errors[0].Message.ShouldStartWith("WeLink refused the app's credentials (check the WeLink AppId, AppKey, UserId and CorpId settings): 401: Authentication failed");
        var secrets = new[] { welink.AppKey, "a-wrong-app-key" }
            .Concat(welink.Calls.Select(c => c.Header("X-Access-Token")).Where(t => t.Length > 0))
            .Concat(welink.Calls.Select(c => c.Header("Authorization")).Where(a => a.Length > 0).Select(a => a.Split('=', ',')[1]));
        foreach (var error in errors)
        {
            foreach (var secret in secrets)
            {
                error.ToString().ShouldNotContain(secret);
            }
        }
    }

    [Theory]
    [InlineData("env")]
    [InlineData("file")]
    public async Task The_backend_reads_the_app_key_from_env_or_file(string source)
    {
        var variable = $"FORGELINE_TEST_WELINK_KEY_{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), $"forgeline-welink-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable(variable, welink.AppKey);
        await File.WriteAllTextAsync(path, welink.AppKey + "\n");
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["AppId"] = welink.AppId,
                ["AppKey"] = source == "env" ? $"env:{variable}" : $"file:{path}",
                ["ApiBaseUrl"] = welink.ApiBaseUrl,
            };
            var platform = new WeLinkBackend().Create(k => settings.GetValueOrDefault(k), http, time);

            var created = await platform.CreateAsync(Request(), Ct);

            welink.Conferences.ShouldContainKey(created.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            File.Delete(path);
        }
    }

    private static CancellationToken Ct => CancellationToken.None;

    private WeLinkOptions Options(string? appKey = null) => new()
    {
        AppId = welink.AppId,
        AppKey = appKey ?? welink.AppKey,
        UserId = "forgeline-bot",
        ApiBaseUrl = welink.ApiBaseUrl,
    };

    private static PlatformMeetingRequest Request() => new("sig-release weekly", "https://example.org/agenda", Start, "Europe/Berlin", 60);
}

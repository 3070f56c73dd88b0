using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Platforms.Zoom;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>
/// The Zoom client against a fake Zoom on a loopback port: the bodies Zoom documents (type 2 or 8, local start time with
/// its IANA zone, the weekly and monthly recurrences), the server-to-server OAuth token's reuse and refresh, and the
/// errors a platform answers with (429, 500, 400) as retryable or not, never showing a secret.
/// </summary>
public sealed class ZoomClientTests : IAsyncLifetime
{
    private const string WebhookSecret = "whsec-never-shown";
    private readonly HttpClient http = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private FakeZoom zoom = null!;
    private ZoomClient client = null!;

    public async Task InitializeAsync()
    {
        zoom = await FakeZoom.StartAsync();
        client = new ZoomClient(http, Options(zoom.ClientSecret), time);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        http.Dispose();
        await zoom.DisposeAsync();
    }

    [Fact]
    public async Task A_meeting_is_created_changed_and_deleted_with_the_fields_zoom_expects()
    {
        var created = await client.CreateAsync(Request(), Ct);

        var meeting = zoom.Meetings[long.Parse(created.Id, System.Globalization.CultureInfo.InvariantCulture)];
        meeting["topic"]!.GetValue<string>().ShouldBe("sig-release weekly");
        meeting["type"]!.GetValue<int>().ShouldBe(2);
        meeting["start_time"]!.GetValue<string>().ShouldBe("2027-01-12T14:00:00");
        meeting["timezone"]!.GetValue<string>().ShouldBe("Europe/Berlin");
        meeting["duration"]!.GetValue<int>().ShouldBe(60);
        meeting["agenda"]!.GetValue<string>().ShouldBe("https://example.org/agenda");
        meeting.ContainsKey("recurrence").ShouldBeFalse();
        created.JoinUrl.ShouldStartWith("https://zoom.us/j/" + created.Id);
        created.Passcode.ShouldNotBeNullOrEmpty();
        created.HostUrl.ShouldNotBeNull();
        zoom.ConcurrentAt(new DateTimeOffset(2027, 1, 12, 13, 30, 0, TimeSpan.Zero)).ShouldBe(1);

        await client.UpdateAsync(created.Id, Request() with { Topic = "sig-release (moved)", DurationMinutes = 90 }, Ct);
        meeting = zoom.Meetings[long.Parse(created.Id, System.Globalization.CultureInfo.InvariantCulture)];
        meeting["topic"]!.GetValue<string>().ShouldBe("sig-release (moved)");
        meeting["duration"]!.GetValue<int>().ShouldBe(90);
        zoom.Calls.ShouldContain(c => c.Method == "PATCH" && c.Path == "/v2/meetings/" + created.Id && c.Status == 204);

        await client.DeleteAsync(created.Id, Ct);
        zoom.Meetings.ShouldBeEmpty();
        zoom.Calls.Where(c => c.Path.StartsWith("/v2/", StringComparison.Ordinal)).ShouldAllBe(c => c.Authorization.StartsWith("Bearer fz_"));
    }

    [Theory]
    [InlineData(MeetingRecurrence.Weekly, 10, 2, 1, "3", null)]
    [InlineData(MeetingRecurrence.Biweekly, 6, 2, 2, "3", null)]
    [InlineData(MeetingRecurrence.Monthly, 12, 3, 1, null, 12)]
    public async Task A_repeating_meeting_is_a_recurring_meeting_with_a_fixed_time(MeetingRecurrence recurrence, int count, int type, int interval, string? weeklyDays, int? monthlyDay)
    {
        // 2027-01-12 is a Tuesday: Zoom's weekly_days counts 1 = Sunday, so Tuesday is 3.
        var created = await client.CreateAsync(Request() with { Recurrence = recurrence, Occurrences = count }, Ct);

        var body = zoom.Calls.Single(c => c.Method == "POST" && c.Path == "/v2/users/me/meetings").Json;
        body.GetProperty("type").GetInt32().ShouldBe(8);
        var rule = body.GetProperty("recurrence");
        rule.GetProperty("type").GetInt32().ShouldBe(type);
        rule.GetProperty("repeat_interval").GetInt32().ShouldBe(interval);
        rule.GetProperty("end_times").GetInt32().ShouldBe(count);
        (rule.TryGetProperty("weekly_days", out var days) ? days.GetString() : null).ShouldBe(weeklyDays);
        (rule.TryGetProperty("monthly_day", out var day) ? day.GetInt32() : (int?)null).ShouldBe(monthlyDay);
        created.Id.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task The_start_is_sent_as_local_time_in_the_meetings_zone_whatever_offset_it_was_given_in()
    {
        var start = new DateTimeOffset(2027, 7, 12, 12, 0, 0, TimeSpan.Zero);

        await client.CreateAsync(Request() with { Start = start }, Ct);

        zoom.Calls.Single(c => c.Method == "POST" && c.Path.StartsWith("/v2/", StringComparison.Ordinal)).Json
            .GetProperty("start_time").GetString().ShouldBe("2027-07-12T14:00:00");
    }

    [Fact]
    public async Task The_token_is_reused_until_shortly_before_it_expires()
    {
        await client.CreateAsync(Request(), Ct);
        await client.CreateAsync(Request(), Ct);
        zoom.TokensIssued.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(zoom.TokenLifetimeSeconds) - ZoomClient.TokenMargin - TimeSpan.FromSeconds(1));
        await client.CreateAsync(Request(), Ct);
        zoom.TokensIssued.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(1));
        await client.CreateAsync(Request(), Ct);

        zoom.TokensIssued.ShouldBe(2);
        var token = zoom.Calls.First(c => c.Path == "/oauth/token" && c.Status == 200);
        token.Method.ShouldBe("POST");
        token.Query.ShouldBe("?grant_type=account_credentials&account_id=acct-forgeline");
        token.Authorization.ShouldStartWith("Basic ");
    }

    [Fact]
    public async Task A_revoked_token_is_replaced_once_on_401()
    {
        await client.CreateAsync(Request(), Ct);
        zoom.RevokeTokens();

        await client.CreateAsync(Request(), Ct);

        zoom.TokensIssued.ShouldBe(2);
        zoom.Calls.Count(c => c.Status == 401).ShouldBe(1);
        zoom.Meetings.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Mon, 07 Dec 2026 12:00:30 GMT", 30)]
    public async Task A_rate_limit_is_retryable_and_names_retry_after(string header, int seconds)
    {
        await client.CreateAsync(Request(), Ct);
        zoom.FailNext(1, 429, header);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(seconds));
        error.Message.ShouldContain($"retry after {seconds} seconds (Retry-After)");
        error.Message.ShouldContain("429");
    }

    [Fact]
    public async Task A_rate_limit_without_retry_after_is_retryable()
    {
        zoom.FailNext(1, 429);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct));

        error.Retryable.ShouldBeTrue();
        error.RetryAfter.ShouldBeNull();
        error.Message.ShouldContain("no Retry-After");
    }

    [Fact]
    public async Task A_server_error_is_retryable()
    {
        await client.CreateAsync(Request(), Ct);
        zoom.FailNext(1, 500);

        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.DeleteAsync("81000000001", Ct));

        error.Retryable.ShouldBeTrue();
        error.Message.ShouldContain("500");
    }

    [Fact]
    public async Task A_refused_body_is_not_retryable_and_carries_zooms_message()
    {
        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request() with { Topic = new string('x', 201) }, Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldContain("400");
        error.Message.ShouldContain("The topic can be at most 200 characters.");
    }

    [Fact]
    public async Task Deleting_a_meeting_zoom_does_not_know_is_success()
    {
        await client.DeleteAsync("81999999999", Ct);

        zoom.Calls.ShouldContain(c => c.Method == "DELETE" && c.Status == 404);
    }

    [Fact]
    public async Task Changing_a_meeting_zoom_does_not_know_is_not_retryable()
    {
        var error = await Should.ThrowAsync<MeetingPlatformException>(() => client.UpdateAsync("81999999999", Request(), Ct));

        error.Retryable.ShouldBeFalse();
        error.Message.ShouldContain("Meeting does not exist");
    }

    [Fact]
    public async Task No_error_shows_a_secret_or_a_token()
    {
        var errors = new List<MeetingPlatformException>();
        using var wrong = new ZoomClient(http, Options("a-wrong-secret-value"), time);
        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => wrong.CreateAsync(Request(), Ct)));
        await client.CreateAsync(Request(), Ct);
        foreach (var status in new[] { 429, 500 })
        {
            zoom.FailNext(1, status, "3");
            errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct)));
        }

        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request() with { Topic = new string('x', 300) }, Ct)));
        zoom.FailNext(2, 401);
        errors.Add(await Should.ThrowAsync<MeetingPlatformException>(() => client.CreateAsync(Request(), Ct)));

        errors[0].Retryable.ShouldBeFalse();
        errors[0].Message.ShouldContain("credentials");
        var secrets = new[] { zoom.ClientSecret, "a-wrong-secret-value", WebhookSecret }
            .Concat(zoom.Calls.Select(c => c.Authorization).Where(a => a.Length > 0).Select(a => a.Split(' ')[1]));
        foreach (var error in errors)
        {
            foreach (var secret in secrets)
            {
                error.ToString().ShouldNotContain(secret);
            }
        }
    }

    private static CancellationToken Ct => CancellationToken.None;

    private ZoomOptions Options(string clientSecret) => new()
    {
        AccountId = zoom.AccountId,
        ClientId = zoom.ClientId,
        ClientSecret = clientSecret,
        ApiBaseUrl = zoom.ApiBaseUrl,
        OAuthUrl = zoom.OAuthUrl,
        WebhookSecretToken = WebhookSecret,
    };

    private static PlatformMeetingRequest Request() => new(
        "sig-release weekly",
        "https://example.org/agenda",
        new DateTimeOffset(2027, 1, 12, 14, 0, 0, TimeSpan.FromHours(1)),
        "Europe/Berlin",
        60);
}

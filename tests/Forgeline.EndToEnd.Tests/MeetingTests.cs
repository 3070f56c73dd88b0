using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The meetings part as a SIG member uses it, on a real <c>forgeline server</c>: signed in through the real OpenID
/// provider (which says the user is in sig-release), the meeting is booked from the form in Chromium; the fake Zoom
/// receives the create call, the real SMTP server the invitation, and the SIG's `.ics` feed parses with
/// python3-icalendar; Zoom's signed recording report (a forged one refused) leads to the recording downloaded, stored
/// and published on the fake YouTube and Bilibili, shown on the meeting page; the statistics page counts the meeting.
/// </summary>
public sealed class MeetingTests : IAsyncLifetime
{
    private const string Provider = "community";
    private OidcProvider oidc = null!;
    private FakeYouTube youtube = null!;
    private FakeBilibili bilibili = null!;
    private FakeRecordingServer files = null!;
    private MeetingServer meetings = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private readonly byte[] video = RandomNumberGenerator.GetBytes(700_000);

    public async Task InitializeAsync()
    {
        var port = ForgelineServer.FreePort();
        oidc = await OidcProvider.StartAsync([$"http://127.0.0.1:{port}/signin-oidc/{Provider}"], $"http://127.0.0.1:{port}/");
        youtube = await FakeYouTube.StartAsync();
        bilibili = await FakeBilibili.StartAsync();
        files = await FakeRecordingServer.StartAsync(video, token: "dl-token-abc");
        var prefix = $"Forgeline__Accounts__Providers__{Provider}__";
        var settings = youtube.Settings("__").Concat(bilibili.Settings("__")).ToDictionary();
        settings[prefix + "Issuer"] = oidc.Issuer;
        settings[prefix + "ClientId"] = oidc.ClientId;
        settings[prefix + "ClientSecret"] = oidc.ClientSecret;
        settings[prefix + "RequireHttps"] = "false";
        meetings = await MeetingServer.StartAsync(settings, port);
        playwright = await Playwright.CreateAsync();
        browser = await DebianChromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await meetings.DisposeAsync();
        await files.DisposeAsync();
        await bilibili.DisposeAsync();
        await youtube.DisposeAsync();
        await oidc.DisposeAsync();
    }

    [Fact]
    public async Task A_member_books_in_the_browser_and_the_meeting_reaches_Zoom_the_list_the_feed_the_video_platforms_and_the_statistics()
    {
        var server = meetings.Server;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.Url.ToString(), TimezoneId = "Asia/Shanghai" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#signin");
        await page.ClickAsync($"a.provider[data-provider={Provider}]");
        await page.FillAsync(OidcProvider.UserFieldSelector, OidcProvider.SigReleaseMember.Login);
        await page.FillAsync(OidcProvider.PasswordFieldSelector, OidcProvider.SigReleaseMember.Password);
        await page.ClickAsync(OidcProvider.SubmitButtonSelector);
        await Assertions.Expect(page.Locator("#account-link")).ToHaveTextAsync(OidcProvider.SigReleaseMember.Login, new() { Timeout = 30_000 });

        // Book from the form: weekly, four times, 14:00 in Berlin, three days ahead.
        await page.GotoAsync("/meetings");
        var day = DateTime.UtcNow.Date.AddDays(3);
        await page.SelectOptionAsync("#meeting-sig", "sig-release");
        await page.FillAsync("#meeting-title", "Release planning");
        await page.FillAsync("#meeting-date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.FillAsync("#meeting-time", "14:00");
        await page.FillAsync("#meeting-zone", "Europe/Berlin");
        await page.FillAsync("#meeting-duration", "60");
        await page.SelectOptionAsync("#meeting-platform", "zoom");
        await page.SelectOptionAsync("#meeting-recurrence", "weekly");
        await page.FillAsync("#meeting-count", "4");
        await page.FillAsync("#meeting-agenda", "https://etherpad.example.org/p/release");
        await page.ClickAsync("#meeting-book");
        var result = page.Locator("#meeting-result");
        await Assertions.Expect(result).ToContainTextAsync("Release planning", new() { Timeout = 30_000 });
        var id = long.Parse((await result.GetAttributeAsync("data-meeting"))!, CultureInfo.InvariantCulture);

        // Zoom got the create call; the list got the invitation (the calendar part with it).
        var create = meetings.Zoom.Calls.Single(c => c.Method == "POST" && c.Path.EndsWith("/meetings", StringComparison.Ordinal));
        create.Json.GetProperty("topic").GetString().ShouldBe("Release planning");
        create.Json.GetProperty("type").GetInt32().ShouldBe(8);
        var invitation = await File.ReadAllTextAsync(await meetings.Smtp.WaitForFileAsync($"meeting-{id}.seq0@forgeline.example", TimeSpan.FromSeconds(30)));
        invitation.ShouldContain("Subject: Invitation: [sig-release] Release planning");
        invitation.ShouldContain("text/calendar");
        invitation.ShouldContain("To: sig-release@lists.example.org");

        // The SIG's feed, as a calendar client subscribes to it.
        using var http = new HttpClient { BaseAddress = server.Url };
        using var feedResponse = await http.GetAsync("meetings/sig-release.ics");
        feedResponse.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        var feed = await IcalendarReader.ReadAsync(await feedResponse.Content.ReadAsStringAsync());
        var vevent = feed.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        vevent.GetProperty("rrule").GetString().ShouldBe("FREQ=WEEKLY;COUNT=4");
        vevent.GetProperty("tzid").GetString().ShouldBe("Europe/Berlin");
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "meetings/sig-release.ics");
        revalidate.Headers.IfNoneMatch.Add(feedResponse.Headers.ETag!);
        (await http.SendAsync(revalidate)).StatusCode.ShouldBe(HttpStatusCode.NotModified);

        // Zoom reports the recording; a forged report first.
        var zoomId = meetings.Zoom.Meetings.Keys.Single();
        var forged = FakeZoomDelivery.RecordingCompleted("wrong-secret", DateTimeOffset.UtcNow, zoomId, "uuid-e2e", "Release planning", video.Length, files.FileUrl("x").ToString()[..^2]);
        (await PostAsync(http, forged)).ShouldBe(HttpStatusCode.Unauthorized);
        var report = FakeZoomDelivery.RecordingCompleted(MeetingServer.WebhookSecret, DateTimeOffset.UtcNow, zoomId, "uuid-e2e", "Release planning", video.Length, files.FileUrl("x").ToString()[..^2]);
        (await PostAsync(http, report)).ShouldBe(HttpStatusCode.OK);
        (await PostAsync(http, report)).ShouldBe(HttpStatusCode.OK);

        await page.GotoAsync($"/meetings/{id}");
        var recording = page.Locator("#meeting-recordings tr[data-recording]");
        for (var i = 0; i < 60 && !(await recording.CountAsync() == 1 && (await recording.InnerTextAsync()).Contains("published", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Assertions.Expect(recording).ToContainTextAsync("published");
        (await recording.Locator("a.video").AllInnerTextsAsync()).ShouldBe(["bilibili", "youtube"]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(video));
        Convert.ToHexStringLower(SHA256.HashData(youtube.Videos.Values.Single().Bytes)).ShouldBe(sha);
        Convert.ToHexStringLower(SHA256.HashData(bilibili.Videos.Values.Single().Bytes)).ShouldBe(sha);
        Convert.ToHexStringLower(SHA256.HashData(await http.GetByteArrayAsync($"api/v1/meetings/{id}/recordings/{await recording.GetAttributeAsync("data-recording")}"))).ShouldBe(sha);

        // The statistics page counts the meeting's occurrences in their months.
        await page.GotoAsync("/meetings/statistics");
        var row = page.Locator("#heat-map tr[data-sig='sig-release']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        var counted = 0;
        foreach (var cell in await row.Locator("td[data-month]").AllInnerTextsAsync())
        {
            counted += int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }

        var inRange = Enumerable.Range(0, 4).Count(i => day.AddDays(7 * i) < new DateTime(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(2));
        counted.ShouldBe(inRange);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, FakeZoomDelivery delivery)
    {
        using var content = new ByteArrayContent(delivery.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/meetings/webhooks/zoom") { Content = content };
        request.Headers.Add("x-zm-request-timestamp", delivery.Timestamp);
        request.Headers.Add("x-zm-signature", delivery.Signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

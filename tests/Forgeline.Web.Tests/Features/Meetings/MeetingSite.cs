using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Forgeline.Accounts;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Server;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Tests.Features.Meetings;

/// <summary>
/// The API target of <c>forgeline server</c> as <see cref="ServerHost"/> composes it, in this process on loopback, with a
/// fresh SQLite database, booking on a fake Zoom. SIGs are groups made through the accounts service; meetings in the
/// past (which cannot be booked) are inserted straight into the table. One per test class.
/// </summary>
public sealed class MeetingSite : IAsyncLifetime
{
    private readonly TempDirectory root = new("forgeline-meeting-pages");
    private WebApplication app = null!;

    /// <summary>The fake Zoom meetings are booked on.</summary>
    public FakeZoom Zoom { get; private set; } = null!;

    /// <summary>An anonymous visitor.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The admin token's holder: may book for any SIG.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Zoom = await FakeZoom.StartAsync();
        string[] args =
        [
            "--applicationName", "Forgeline.Web", "--FORGELINE_DATABASE", "sqlite://" + root["forgeline.db"], "--Logging:LogLevel:Default", "Warning",
            "--Forgeline:Meetings:Zoom:AccountId", Zoom.AccountId, "--Forgeline:Meetings:Zoom:ClientId", Zoom.ClientId,
            "--Forgeline:Meetings:Zoom:ClientSecret", Zoom.ClientSecret, "--Forgeline:Meetings:Zoom:ApiBaseUrl", Zoom.ApiBaseUrl,
            "--Forgeline:Meetings:Zoom:OAuthUrl", Zoom.OAuthUrl, "--Forgeline:Meetings:Zoom:WebhookSecretToken", "zoom-webhook-secret",
        ];
        app = ServerHost.Build(args, new ForgelinePaths(root["data"]), "http://127.0.0.1:0", ServerTargets.Api, LogFormat.Text, targetsChosen: true);
        var admin = await ServerHost.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        Anonymous = new HttpClient { BaseAddress = Address };
        Admin = Client(admin ?? throw new InvalidOperationException("the server made no admin token"));
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        Admin.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Zoom.DisposeAsync();
        root.Dispose();
    }

    private Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Makes the group <paramref name="sig"/>.</summary>
    public async Task SigAsync(string sig)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<GroupService>().CreateGroupAsync(new CreateGroupRequest(sig), "admin", CancellationToken.None);
        result.IsSuccess.ShouldBeTrue(result.Message);
    }

    /// <summary>A user in <paramref name="sigs"/>, as a client holding their personal token (what a browser session carries).</summary>
    public async Task<HttpClient> MemberAsync(string user, params string[] sigs)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var groups = scope.ServiceProvider.GetRequiredService<GroupService>();
        (await groups.CreateUserAsync(new CreateUserRequest(user), "admin", CancellationToken.None)).IsSuccess.ShouldBeTrue();
        foreach (var sig in sigs)
        {
            (await groups.AddMemberAsync(sig, user, "admin", CancellationToken.None)).IsSuccess.ShouldBeTrue();
        }

        var id = await scope.ServiceProvider.GetRequiredService<ForgelineDbContext>().Users.Where(u => u.Name == user).Select(u => u.Id).SingleAsync();
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<TokenService>()
            .CreateAsync(TokenService.PersonalName(user, "pages"), [Scopes.Build], CancellationToken.None, user, id);
        return Client(secret);
    }

    /// <summary>Books a meeting through the API as <paramref name="client"/>, starting in <paramref name="days"/> days at 14:00 in Europe/Berlin.</summary>
    public async Task<MeetingDto> BookAsync(HttpClient client, string sig, string title, int days = 7, string recurrence = "none", int? occurrences = null)
    {
        var start = DateTime.UtcNow.AddDays(days).ToString("yyyy-MM-dd'T14:00'", CultureInfo.InvariantCulture);
        using var response = await client.PostAsJsonAsync("/api/v1/meetings",
            new MeetingBookingRequest(sig, title, start, "Europe/Berlin", 60, "zoom", recurrence, occurrences, "https://wiki.example.org/agenda"), ForgelineJson.Options);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return (await response.Content.ReadFromJsonAsync<MeetingDto>(ForgelineJson.Options))!;
    }

    /// <summary>A meeting of <paramref name="sig"/> held at <paramref name="start"/> (UTC) for <paramref name="minutes"/>, inserted as if booked then.</summary>
    public async Task<MeetingRecord> PastAsync(string sig, DateTime start, int minutes = 60, int participants = 0)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var row = new MeetingRecord
        {
            Sig = sig, Title = "held " + start.ToString("u", CultureInfo.InvariantCulture), LocalStart = start, TimeZone = "UTC", DurationMinutes = minutes,
            Recurrence = "none", Occurrences = 1, FirstStart = start, LastEnd = start.AddMinutes(minutes), Platform = "zoom",
            PlatformId = "past-" + Guid.NewGuid().ToString("N"), JoinUrl = "https://zoom.example/j/1", Passcode = "", State = "scheduled",
            CreatedBy = "admin", CreatedAt = start.AddDays(-7), UpdatedAt = start.AddDays(-7),
        };
        db.Meetings.Add(row);
        await db.SaveChangesAsync();
        for (var i = 0; i < participants; i++)
        {
            db.MeetingParticipants.Add(new MeetingParticipantRecord { MeetingId = row.Id, Participant = $"p{i}", JoinedAt = start.AddMinutes(1) });
        }

        await db.SaveChangesAsync();
        return row;
    }

    /// <summary>A stored recording of meeting <paramref name="meeting"/>, published at <paramref name="video"/>.</summary>
    public async Task<MeetingRecordingRecord> RecordingAsync(long meeting, string video)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var row = new MeetingRecordingRecord
        {
            MeetingId = meeting, FileId = "file-" + Guid.NewGuid().ToString("N"), DownloadUrl = "https://zoom.example/rec", ExpectedSize = 3 * 1048576,
            RecordedAt = DateTime.UtcNow.AddHours(-1), State = "published", Sha256 = new string('a', 64), Size = 3 * 1048576,
            Videos = $"{{\"youtube\":\"{video}\"}}", NextAttemptAt = DateTime.UtcNow.AddYears(1), CreatedAt = DateTime.UtcNow,
        };
        db.MeetingRecordings.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

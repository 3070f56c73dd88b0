using System.Globalization;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// <c>forgeline meeting</c> as typed, against a real <c>forgeline server</c> booking on a fake Zoom: create, list, show,
/// edit, cancel and stats, and a refused booking's message and exit code.
/// </summary>
public sealed class MeetingCliTests : IAsyncLifetime
{
    private const string Sig = "sig-cli";
    private FakeZoom zoom = null!;
    private ForgelineServer server = null!;

    public async Task InitializeAsync()
    {
        zoom = await FakeZoom.StartAsync();
        server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            ["Forgeline__Meetings__Zoom__AccountId"] = zoom.AccountId,
            ["Forgeline__Meetings__Zoom__ClientId"] = zoom.ClientId,
            ["Forgeline__Meetings__Zoom__ClientSecret"] = zoom.ClientSecret,
            ["Forgeline__Meetings__Zoom__WebhookSecretToken"] = "zoom-webhook-secret",
            ["Forgeline__Meetings__Zoom__ApiBaseUrl"] = zoom.ApiBaseUrl,
            ["Forgeline__Meetings__Zoom__OAuthUrl"] = zoom.OAuthUrl,
        });
        (await server.CliAsync("group", "create", Sig)).ExitCode.ShouldBe(0);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await zoom.DisposeAsync();
    }

    [Fact]
    public async Task A_meeting_is_created_listed_shown_edited_and_cancelled_and_stats_answer()
    {
        var start = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T14:00'", CultureInfo.InvariantCulture);
        var create = await server.CliAsync("meeting", "create", "--sig", Sig, "--title", "Infra sync", "--start", start, "--time-zone", "Europe/Berlin",
            "--duration", "1h30m", "--platform", "zoom", "--recurring", "weekly", "--count", "3", "--agenda", "https://wiki.example.org/infra");
        create.ExitCode.ShouldBe(0, create.Stderr + create.Stdout);
        create.Stdout.ShouldMatch(@"meeting (\d+) booked");
        var id = long.Parse(System.Text.RegularExpressions.Regex.Match(create.Stdout, @"meeting (\d+) booked").Groups[1].Value, CultureInfo.InvariantCulture);
        var booked = zoom.Meetings.Values.ShouldHaveSingleItem();
        create.Stdout.ShouldContain("14:00 Europe/Berlin");
        create.Stdout.ShouldContain("UTC)");
        create.Stdout.ShouldContain("90 min");
        create.Stdout.ShouldContain("weekly × 3");
        create.Stdout.ShouldContain(booked["join_url"]!.GetValue<string>());
        create.Stdout.ShouldContain("passcode:");

        var list = await server.CliAsync("meeting", "list", "--sig", Sig, "--json");
        list.ExitCode.ShouldBe(0, list.Stderr);
        var listed = JsonSerializer.Deserialize<List<MeetingDto>>(list.Stdout, ForgelineJson.Options)!.ShouldHaveSingleItem();
        (listed.Id, listed.Title, listed.DurationMinutes, listed.Occurrences).ShouldBe((id, "Infra sync", 90, 3));
        var table = await server.CliAsync("meeting", "list");
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain(Sig);

        var show = await server.CliAsync("meeting", "show", id.ToString(CultureInfo.InvariantCulture));
        show.ExitCode.ShouldBe(0, show.Stderr);
        show.Stdout.ShouldContain("Infra sync");
        show.Stdout.ShouldContain("https://wiki.example.org/infra");
        show.Stdout.ShouldContain("upcoming:");

        var edit = await server.CliAsync("meeting", "edit", id.ToString(CultureInfo.InvariantCulture), "--title", "Infra weekly", "--duration", "45");
        edit.ExitCode.ShouldBe(0, edit.Stderr);
        edit.Stdout.ShouldContain($"meeting {id} changed: Infra weekly");
        edit.Stdout.ShouldContain("45 min");

        var cancel = await server.CliAsync("meeting", "cancel", id.ToString(CultureInfo.InvariantCulture));
        cancel.ExitCode.ShouldBe(0, cancel.Stderr);
        cancel.Stdout.ShouldContain("cancelled");
        zoom.Meetings.ShouldBeEmpty();
        (await server.CliAsync("meeting", "list", "--sig", Sig, "--json")).Stdout.Trim().ShouldBe("[]");
        (await server.CliAsync("meeting", "list", "--sig", Sig, "--all", "--json")).Stdout.ShouldContain("\"cancelled\"");

        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var stats = await server.CliAsync("meeting", "stats", "--from", month, "--to", month);
        stats.ExitCode.ShouldBe(0, stats.Stderr);
        stats.Stdout.ShouldContain($"no meetings from {month} to {month}");
        var csv = await server.CliAsync("meeting", "stats", "--csv");
        csv.ExitCode.ShouldBe(0, csv.Stderr);
        csv.Stdout.ShouldStartWith("sig,month,meetings,hours,participants");
        var json = await server.CliAsync("meeting", "stats", "--json");
        JsonSerializer.Deserialize<MeetingStatistics>(json.Stdout, ForgelineJson.Options)!.Months.Count.ShouldBe(12);
    }

    [Fact]
    public async Task Refusals_are_printed_with_the_servers_reason_and_a_non_zero_exit_code()
    {
        var start = DateTime.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T09:00'", CultureInfo.InvariantCulture);

        var noSig = await server.CliAsync("meeting", "create", "--sig", "no-such-sig", "--title", "Lost", "--start", start, "--time-zone", "UTC");
        var past = await server.CliAsync("meeting", "create", "--sig", Sig, "--title", "Late", "--start", "2001-01-01T09:00", "--time-zone", "UTC");
        var duration = await server.CliAsync("meeting", "create", "--sig", Sig, "--title", "Odd", "--start", start, "--duration", "an hour");
        var month = await server.CliAsync("meeting", "stats", "--from", "January");
        var missing = await server.CliAsync("meeting", "show", "987654");

        noSig.ExitCode.ShouldBe(1);
        noSig.Stderr.ShouldContain("there is no SIG 'no-such-sig'");
        past.ExitCode.ShouldBe(1);
        past.Stderr.ShouldStartWith("forgeline: ");
        duration.ExitCode.ShouldBe(2);
        duration.Stderr.ShouldContain("'an hour' is not a duration; write 1h, 90m, 1h30m or minutes (45)");
        month.ExitCode.ShouldBe(1);
        month.Stderr.ShouldContain("months are written 2027-01");
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain("there is no meeting 987654");
        zoom.Meetings.ShouldBeEmpty();
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Forgeline.Core;
using Forgeline.Core.Meetings;

namespace Forgeline.Web.Tests.Features.Meetings;

public sealed class MeetingPagesTests(MeetingSite site) : IClassFixture<MeetingSite>
{
    [Fact]
    public async Task The_list_shows_a_booked_meeting_on_its_day_with_its_sig_zone_platform_join_link_and_the_feeds()
    {
        await site.SigAsync("sig-list");
        var meeting = await site.BookAsync(site.Admin, "sig-list", "Kernel sync", days: 9);

        var html = await site.Anonymous.GetStringAsync("/meetings");

        var item = Occurrence(html, meeting.Id);
        item.ShouldContain($"href=\"/meetings/{meeting.Id}\"");
        item.ShouldContain("Kernel sync");
        item.ShouldContain("<span class=\"sig\">sig-list</span>");
        item.ShouldContain("14:00 Europe/Berlin");
        item.ShouldContain("zoom");
        item.ShouldContain($"href=\"{meeting.JoinUrl}\"");
        item.ShouldContain($"datetime=\"{meeting.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\"");
        html.ShouldContain($"<li class=\"meeting-day\" data-day=\"{meeting.Start.UtcDateTime:yyyy-MM-dd}\">");
        html.ShouldContain("href=\"/meetings.ics\"");
        html.ShouldContain("href=\"/meetings/sig-list.ics\"");
        html.ShouldContain("href=\"/meetings\" class=\"here\"");
        html.ShouldContain("/assets/meetings/meetings.js");
    }

    [Fact]
    public async Task An_anonymous_visitor_is_asked_to_sign_in_and_a_member_gets_the_booking_form_for_their_sigs()
    {
        await site.SigAsync("sig-form-a");
        await site.SigAsync("sig-form-b");
        using var member = await site.MemberAsync("forma", "sig-form-a");

        var anonymous = await site.Anonymous.GetStringAsync("/meetings");
        var html = await member.GetStringAsync("/meetings");

        anonymous.ShouldContain("id=\"meeting-signin\"");
        anonymous.ShouldNotContain("id=\"meeting-form\"");
        foreach (var id in new[] { "meeting-title", "meeting-date", "meeting-time", "meeting-zone", "meeting-duration", "meeting-recurrence", "meeting-count", "meeting-agenda", "meeting-book", "meeting-result", "meeting-error" })
        {
            html.ShouldContain($"id=\"{id}\"");
        }

        var sigs = Between(html, "id=\"meeting-sig\"", "</select>");
        sigs.ShouldContain("<option value=\"sig-form-a\">");
        sigs.ShouldNotContain("sig-form-b");
        Between(html, "id=\"meeting-platform\"", "</select>").ShouldContain("<option value=\"zoom\">");
        html.ShouldContain("<meta name=\"csrf-token\"");
    }

    [Fact]
    public async Task A_signed_in_user_in_no_sig_is_told_to_ask_an_admin()
    {
        using var loner = await site.MemberAsync("loner");

        var html = await loner.GetStringAsync("/meetings");

        html.ShouldContain("id=\"meeting-no-sig\"");
        html.ShouldNotContain("id=\"meeting-form\"");
    }

    [Fact]
    public async Task The_meeting_page_shows_times_repetition_join_link_passcode_recordings_and_a_cancel_button_for_members_only()
    {
        await site.SigAsync("sig-page");
        using var member = await site.MemberAsync("pagemember", "sig-page");
        var meeting = await site.BookAsync(member, "sig-page", "Weekly triage", days: 3, recurrence: "weekly", occurrences: 3);
        var recording = await site.RecordingAsync(meeting.Id, "https://youtube.example/watch?v=abc");

        var html = await site.Anonymous.GetStringAsync($"/meetings/{meeting.Id}");
        var asMember = await member.GetStringAsync($"/meetings/{meeting.Id}");

        html.ShouldContain("Weekly triage");
        html.ShouldContain("href=\"https://wiki.example.org/agenda\"");
        html.ShouldContain("14:00 Europe/Berlin");
        html.ShouldContain("weekly, 3 times");
        html.ShouldContain($"id=\"meeting-join\" href=\"{meeting.JoinUrl}\"");
        html.ShouldContain($">{meeting.Passcode}</dd>");
        Regex.Count(Between(html, "id=\"meeting-upcoming\"", "</ol>"), "<li>").ShouldBe(3);
        var row = Between(html, $"data-recording=\"{recording.Id}\"", "</tr>");
        row.ShouldContain("published");
        row.ShouldContain("3.0 MiB");
        row.ShouldContain($"href=\"/api/v1/meetings/{meeting.Id}/recordings/{recording.Id}\"");
        row.ShouldContain("href=\"https://youtube.example/watch?v=abc\"");
        html.ShouldNotContain("id=\"meeting-cancel\"");
        asMember.ShouldContain($"id=\"meeting-cancel\" class=\"danger\" data-meeting=\"{meeting.Id}\"");
    }

    [Fact]
    public async Task A_cancelled_meeting_says_so_without_join_link_or_cancel_button_and_an_unknown_one_is_404()
    {
        await site.SigAsync("sig-cancel");
        var meeting = await site.BookAsync(site.Admin, "sig-cancel", "Soon gone");
        (await site.Admin.DeleteAsync($"/api/v1/meetings/{meeting.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var html = await site.Admin.GetStringAsync($"/meetings/{meeting.Id}");
        using var missing = await site.Anonymous.GetAsync("/meetings/987654321");

        html.ShouldContain("id=\"meeting-state\">cancelled<");
        html.ShouldNotContain("id=\"meeting-join\"");
        html.ShouldNotContain("id=\"meeting-cancel\"");
        html.ShouldContain("id=\"no-upcoming\"");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_title_with_markup_is_escaped_on_the_list_and_the_meeting_page()
    {
        await site.SigAsync("sig-xss");
        var meeting = await site.BookAsync(site.Admin, "sig-xss", "<script>alert(1)</script> & co", days: 5);

        var list = await site.Anonymous.GetStringAsync("/meetings");
        var page = await site.Anonymous.GetStringAsync($"/meetings/{meeting.Id}");

        foreach (var html in new[] { list, page })
        {
            html.ShouldNotContain("<script>alert(1)</script>");
            html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
        }
    }

    [Fact]
    public async Task The_heat_map_counts_meetings_per_sig_and_month_with_colours_tooltips_top_sigs_and_exports()
    {
        var now = DateTime.UtcNow;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var (older, last) = (thisMonth.AddMonths(-2), thisMonth.AddMonths(-1));
        for (var day = 10; day < 13; day++)
        {
            await site.PastAsync("sig-heat-busy", older.AddDays(day).AddHours(10), minutes: 90, participants: 2);
        }

        await site.PastAsync("sig-heat-busy", last.AddDays(10).AddHours(10));
        await site.PastAsync("sig-heat-calm", older.AddDays(3).AddHours(8), minutes: 30);
        var (from, to) = (Month(older), Month(last));

        var html = await site.Anonymous.GetStringAsync($"/meetings/statistics?from={from}&to={to}");

        var map = Between(html, "id=\"heat-map\"", "</table>");
        var busy = Between(map, "data-sig=\"sig-heat-busy\"", "</tr>");
        Cell(busy, from).ShouldContain(">3</td>");
        WebUtility.HtmlDecode(Cell(busy, from)).ShouldContain("title=\"sig-heat-busy · " + from + ": 3 meetings, 4.5 hours, 6 participants\"");
        Cell(busy, to).ShouldContain(">1</td>");
        var calm = Between(map, "data-sig=\"sig-heat-calm\"", "</tr>");
        Cell(calm, from).ShouldContain(">1</td>");
        Cell(calm, to).ShouldContain("no meetings");
        Regex.Match(Cell(busy, from), "class=\"heat heat-(\\d)\"").Groups[1].Value.ShouldBe("4");
        Regex.Match(Cell(calm, to), "class=\"heat heat-(\\d)\"").Groups[1].Value.ShouldBe("0");
        var top = Between(html, "id=\"top-sigs\"", "</table>");
        top.ShouldContain("<tr data-sig=\"sig-heat-busy\"><td>sig-heat-busy</td><td>4</td><td>5.5</td><td>6</td></tr>");
        top.IndexOf("sig-heat-busy", StringComparison.Ordinal).ShouldBeLessThan(top.IndexOf("sig-heat-calm", StringComparison.Ordinal));
        html.ShouldContain($"href=\"/api/v1/meetings/statistics?format=csv&amp;from={from}&amp;to={to}\"");
        html.ShouldContain($"id=\"statistics-from\" name=\"from\" value=\"{from}\"");
    }

    [Fact]
    public async Task A_badly_written_month_is_explained_on_the_statistics_page()
    {
        var html = await site.Anonymous.GetStringAsync("/meetings/statistics?from=January");

        html.ShouldContain("id=\"statistics-problem\"");
        html.ShouldContain("months are written 2027-01");
        html.ShouldNotContain("id=\"heat-map\"");
    }

    [Fact]
    public async Task A_booking_for_a_sig_the_user_is_not_in_is_refused_with_the_reason()
    {
        await site.SigAsync("sig-closed");
        using var outsider = await site.MemberAsync("outsider");

        using var response = await outsider.PostAsJsonAsync("/api/v1/meetings",
            new MeetingBookingRequest("sig-closed", "Nope", DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T10:00'", CultureInfo.InvariantCulture), "UTC", 30, "zoom"), ForgelineJson.Options);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("only members of sig-closed book its meetings");
    }

    private static string Month(DateTime month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Occurrence(string html, long id) => Between(html, $"<li class=\"occurrence\" data-meeting=\"{id}\">", "</li>");

    private static string Cell(string row, string month)
    {
        var at = row.IndexOf($"data-month=\"{month}\"", StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0, $"no cell for {month}");
        var start = row.LastIndexOf("<td", at, StringComparison.Ordinal);
        return row[start..(row.IndexOf("</td>", at, StringComparison.Ordinal) + 5)];
    }

    private static string Between(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        from.ShouldBeGreaterThanOrEqualTo(0, $"'{start}' is not in the page");
        var to = html.IndexOf(end, from, StringComparison.Ordinal);
        to.ShouldBeGreaterThan(from, $"'{end}' does not follow '{start}'");
        return html[from..to];
    }
}

using Forgeline.Core.Meetings;
using Forgeline.Meetings.Server;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>
/// <c>/meetings</c>: every SIG's upcoming meetings by day (<c>meetings.js</c> turns times into the viewer's), the calendar
/// feeds, and for a signed-in member of a SIG the booking form, which posts to <c>POST /api/v1/meetings</c>.
/// </summary>
public sealed class MeetingsModel(MeetingQueries queries, MeetingPlatforms platforms, IAntiforgery antiforgery) : PageModel
{
    /// <summary>Every upcoming occurrence, soonest first, with its meeting.</summary>
    public IReadOnlyList<(DateTimeOffset Start, MeetingDto Meeting)> Occurrences { get; private set; } = [];

    /// <summary>The SIGs with an upcoming meeting, for their feeds.</summary>
    public IReadOnlyList<string> Sigs { get; private set; } = [];

    /// <summary>The SIGs the visitor may book for (their groups).</summary>
    public IReadOnlyList<string> BookableSigs { get; private set; } = [];

    /// <summary>The platforms meetings can be booked on.</summary>
    public IReadOnlyList<MeetingPlatformDto> Platforms { get; private set; } = [];

    /// <summary>Whether the visitor is signed in.</summary>
    public bool SignedIn { get; private set; }

    /// <summary>The CSRF token the booking form sends.</summary>
    public string CsrfToken { get; private set; } = "";

    /// <summary>Why the list is missing, when the query failed.</summary>
    public string? Problem { get; private set; }

    /// <summary>Loads the upcoming meetings and, for a signed-in visitor, what the form offers.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var meetings = await queries.ListAsync(null, null, null, false, cancellationToken);
        if (meetings.IsSuccess)
        {
            Occurrences = [.. meetings.Value!.SelectMany(m => m.Upcoming.Select(start => (start, m))).OrderBy(o => o.start).ThenBy(o => o.m.Id)];
            Sigs = [.. meetings.Value!.Select(m => m.Sig).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        else
        {
            Problem = meetings.Message;
        }

        SignedIn = User.Identity?.IsAuthenticated == true;
        if (SignedIn)
        {
            BookableSigs = [.. User.GroupsOf().Order(StringComparer.Ordinal)];
            Platforms = [.. platforms.Accounts.Select(a => new MeetingPlatformDto(a.Name, a.DisplayName, a.ConcurrentMeetings)).OrderBy(p => p.Name, StringComparer.Ordinal)];
            CsrfToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken ?? "";
        }
    }
}

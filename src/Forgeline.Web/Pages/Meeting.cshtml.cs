using Forgeline.Core.Meetings;
using Forgeline.Meetings.Server;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary><c>/meetings/{id}</c>: one meeting, its times, join link, upcoming occurrences and recordings; SIG members may cancel it.</summary>
public sealed class MeetingModel(MeetingQueries queries, IAntiforgery antiforgery) : PageModel
{
    /// <summary>The meeting.</summary>
    public MeetingDto Meeting { get; private set; } = null!;

    /// <summary>Whether the visitor may cancel it (a member of its SIG, or an admin, while it is scheduled).</summary>
    public bool MayCancel { get; private set; }

    /// <summary>The CSRF token the cancel button sends.</summary>
    public string CsrfToken { get; private set; } = "";

    /// <summary>Loads the meeting, or answers 404.</summary>
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var meeting = await queries.GetAsync(id, cancellationToken);
        if (!meeting.IsSuccess)
        {
            return NotFound();
        }

        Meeting = meeting.Value!;
        MayCancel = Meeting.State == MeetingRows.Scheduled && Meeting.Upcoming.Count > 0
            && (User.IsAdmin() || User.GroupsOf().Contains(Meeting.Sig, StringComparer.Ordinal));
        if (MayCancel)
        {
            CsrfToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken ?? "";
        }

        return Page();
    }
}

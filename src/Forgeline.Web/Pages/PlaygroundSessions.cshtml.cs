using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>
/// <c>/playground/sessions</c>: the sessions (an admin's view: everyone's, with usage), refreshed every 3 s by
/// <c>playground-sessions.js</c> from <c>GET /api/v1/playground/sessions</c>, with an End button each.
/// </summary>
public sealed class PlaygroundSessionsModel(IAntiforgery antiforgery) : PageModel
{
    /// <summary>The CSRF token the End buttons send with DELETE.</summary>
    public string CsrfToken { get; private set; } = "";

    /// <summary>Whether the visitor is an admin (the API then lists everyone's sessions).</summary>
    public bool IsAdmin { get; private set; }

    /// <summary>Renders the shell.</summary>
    public void OnGet()
    {
        CsrfToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken ?? "";
        IsAdmin = User.IsAdmin();
    }
}

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>
/// <c>/playground/NAME</c>: the environment's course beside a terminal. A thin shell: <c>playground.js</c> starts or
/// reattaches the session through the API and carries the terminal over its WebSocket.
/// </summary>
public sealed class PlaygroundEnvironmentModel(IAntiforgery antiforgery) : PageModel
{
    /// <summary>The environment's name, from the URL.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The CSRF token the script sends with POST and DELETE (the session cookie alone is not enough).</summary>
    public string CsrfToken { get; private set; } = "";

    /// <summary>Whether the visitor is signed in (otherwise only anonymous environments start).</summary>
    public bool SignedIn { get; private set; }

    /// <summary>Where "Sign in to start" goes: the sign-in page, back here afterwards.</summary>
    public string SignInUrl => "/account/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString);

    /// <summary>Renders the shell for <paramref name="name"/>.</summary>
    public void OnGet(string name)
    {
        Name = name;
        CsrfToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken ?? "";
        SignedIn = User.Identity?.IsAuthenticated == true;
    }
}

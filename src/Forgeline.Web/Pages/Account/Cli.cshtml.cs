using Forgeline.Accounts;
using Forgeline.Core;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages.Account;

/// <summary>
/// <c>forgeline login</c> in the browser: the signed-in user approves (a POST with the CSRF token, so no other site can
/// approve for them), and the browser goes back to the CLI on 127.0.0.1 with a one-time code bound to its PKCE challenge.
/// </summary>
[Authorize(AuthenticationSchemes = AuthServiceCollectionExtensions.SessionScheme)]
public sealed class CliModel(LoginCodes codes) : PageModel
{
    /// <summary>The CLI's loopback port.</summary>
    [BindProperty(SupportsGet = true)]
    public int Port { get; set; }

    /// <summary>The CLI's state, echoed back so it knows the answer is to its own request.</summary>
    [BindProperty(SupportsGet = true)]
    public string State { get; set; } = "";

    /// <summary>The CLI's PKCE challenge (S256).</summary>
    [BindProperty(SupportsGet = true)]
    public string CodeChallenge { get; set; } = "";

    /// <summary>Name of the token to make.</summary>
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = "cli";

    /// <summary>What is wrong with the request, if anything.</summary>
    public string? Problem { get; private set; }

    /// <summary>Asks the user to approve.</summary>
    public void OnGet() => Problem = Check();

    /// <summary>Issues the code and sends the browser back to the CLI.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if ((Problem = Check()) is not null || User.UserIdOf() is not { } userId)
        {
            return Page();
        }

        var code = await codes.IssueAsync(userId, CodeChallenge, Name, cancellationToken);
        // Only ever to the loopback interface: the code is worthless without the CLI's verifier, but it stays on this machine.
        return Redirect($"http://127.0.0.1:{Port}/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(State)}");
    }

    private string? Check() =>
        Port is < 1024 or > 65535 ? "the CLI's port is missing or not a port number; run 'forgeline login' again"
        : CodeChallenge.Length is < 43 or > 128 || !CodeChallenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? "the CLI's PKCE challenge is missing or malformed; run 'forgeline login' again"
        : State.Length is < 8 or > 128 ? "the CLI's state is missing; run 'forgeline login' again"
        : !ResourceName.IsValid(Name) ? $"the token name must be {ResourceName.Rule}"
        : null;
}

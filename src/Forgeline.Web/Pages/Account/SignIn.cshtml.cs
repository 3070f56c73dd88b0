using Forgeline.Accounts;
using Forgeline.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Pages.Account;

/// <summary>The sign-in page: one button per configured provider, and why the last attempt failed.</summary>
public sealed class SignInModel(IOptions<AccountsOptions> options) : PageModel
{
    /// <summary>Providers by name with their button text.</summary>
    public IReadOnlyList<(string Name, string Label)> Providers { get; private set; } = [];

    /// <summary>Why the last sign-in failed, if it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Where to go after signing in (a local path).</summary>
    public string ReturnUrl { get; private set; } = "/";

    /// <summary>Shows the page.</summary>
    public void OnGet(string? returnUrl, string? error)
    {
        Providers = options.Value.Providers.Select(p => (p.Key, p.Value.DisplayName ?? p.Key)).ToList();
        ReturnUrl = AccountEndpoints.LocalUrl(returnUrl, HttpContext);
        Error = error is { Length: > 0 } ? error[..Math.Min(error.Length, 500)] : null;
    }
}

using Forgeline.Accounts;
using Forgeline.Core.Tokens;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages.Account;

/// <summary>The signed-in user's page: who they are, their groups and rights, and their personal tokens.</summary>
[Authorize(AuthenticationSchemes = AuthServiceCollectionExtensions.SessionScheme)]
public sealed class IndexModel(UserDirectory directory, TokenService tokens) : PageModel
{
    /// <summary>The user.</summary>
    public Core.Accounts.UserDto Me { get; private set; } = null!;

    /// <summary>What the user may do (and so what a token may get).</summary>
    public IReadOnlyList<string> Rights { get; private set; } = [];

    /// <summary>Their tokens.</summary>
    public IReadOnlyList<TokenDto> Tokens { get; private set; } = [];

    /// <summary>A token made just now.</summary>
    public string? NewName { get; private set; }

    /// <summary>Its secret, shown this once.</summary>
    public string? NewSecret { get; private set; }

    /// <summary>Why the last action failed.</summary>
    public string? Problem { get; private set; }

    /// <summary>Shows the page.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : Challenge();

    /// <summary>Makes a personal token with the chosen scopes (the form carries the CSRF token).</summary>
    public async Task<IActionResult> OnPostCreateAsync(string name, string[] scopes, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Challenge();
        }

        var created = await tokens.CreateCheckedAsync(name, scopes, Scopes.All, Rights, null, (User.UserIdOf()!.Value, Me.Name), cancellationToken);
        if (!created.IsSuccess)
        {
            Problem = created.Message;
        }
        else
        {
            (NewName, NewSecret) = (created.Value.Token.Name, created.Value.Secret);
            await LoadAsync(cancellationToken);
        }

        return Page();
    }

    /// <summary>Revokes one of the user's tokens.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(string name, CancellationToken cancellationToken)
    {
        await tokens.RevokeAsync(name ?? "", cancellationToken, User.UserIdOf() ?? -1);
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (User.UserIdOf() is not { } id || await directory.AccountAsync(id, cancellationToken) is not { } account)
        {
            return false;
        }

        Me = UserDirectory.ToDto(account.User, account.Groups);
        Rights = ForgelinePrincipals.RightsOf(account);
        Tokens = (await tokens.ListAsync(id, cancellationToken)).Select(TokenService.ToDto).ToList();
        return true;
    }
}

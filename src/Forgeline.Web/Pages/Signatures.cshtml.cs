using Forgeline.Core.Signing;
using Forgeline.Signing;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The signature audit trail: every signature for admins, a signed-in user's own for them, nothing for visitors.</summary>
public sealed class SignaturesModel(SigningService signing) : PageModel
{
    /// <summary>The newest 200 signatures the viewer may see, or those of one key.</summary>
    public IReadOnlyList<SignatureLogEntry> Entries { get; private set; } = [];

    /// <summary>Whether the viewer is signed in (visitors are asked to sign in instead).</summary>
    public bool SignedIn { get; private set; }

    /// <summary>Loads the entries.</summary>
    public async Task OnGetAsync(string? key, CancellationToken cancellationToken)
    {
        SignedIn = User.Identity?.IsAuthenticated == true;
        if (SignedIn)
        {
            Entries = await signing.LogAsync(key, 200, null, cancellationToken, User.IsAdmin() ? null : [.. User.NamesOf()]);
        }
    }
}

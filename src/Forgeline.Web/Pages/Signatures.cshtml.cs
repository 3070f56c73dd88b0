using Forgeline.Core.Signing;
using Forgeline.Signing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The signature audit trail.</summary>
public sealed class SignaturesModel(SigningService signing) : PageModel
{
    /// <summary>The newest 200 signatures, or those of one key.</summary>
    public IReadOnlyList<SignatureLogEntry> Entries { get; private set; } = [];

    /// <summary>Loads the entries.</summary>
    public async Task OnGetAsync(string? key, CancellationToken cancellationToken) => Entries = await signing.LogAsync(key, 200, null, cancellationToken);
}

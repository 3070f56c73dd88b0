using Forgeline.Core.Signing;
using Forgeline.Signing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The signing keys, public parts only.</summary>
public sealed class KeysModel(SigningKeyService keys) : PageModel
{
    /// <summary>The keys shown.</summary>
    public IReadOnlyList<KeyDto> Keys { get; private set; } = [];

    /// <summary>Loads the keys.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(cancellationToken);
}

using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>
/// <c>/playground</c>: the environments as cards. A thin shell: <c>playground-list.js</c> fetches
/// <c>GET /api/v1/playground/environments</c> and renders them.
/// </summary>
public sealed class PlaygroundModel : PageModel
{
    /// <summary>Renders the shell.</summary>
    public void OnGet()
    {
    }
}

using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>One build: facts, artifacts, and its log streaming live.</summary>
public sealed class BuildModel(BuildService builds, BuildVisibility visibility) : PageModel
{
    /// <summary>The build shown.</summary>
    public BuildDto? Build { get; private set; }

    /// <summary>Loads the build or answers 404.</summary>
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var result = await builds.GetAsync(id, cancellationToken);
        if (!result.IsSuccess || await visibility.IsHiddenAsync(id, User.ToViewer(), cancellationToken))
        {
            return NotFound();
        }

        Build = result.Value;
        return Page();
    }
}

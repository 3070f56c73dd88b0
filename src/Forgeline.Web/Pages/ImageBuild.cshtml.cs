using Forgeline.Core.Images;
using Forgeline.Images.Server;
using Forgeline.Web.Features.Projects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>One image build: its state, its farm build's log, and the signed files it made.</summary>
public sealed class ImageBuildModel(ImageQueries queries) : PageModel
{
    /// <summary>The image build shown.</summary>
    public ImageBuildDto? Build { get; private set; }

    /// <summary>Loads the image build; 404 when there is none the visitor may see.</summary>
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var result = await queries.BuildAsync(ProjectEndpoints.Caller(User), id, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Build = result.Value;
        return Page();
    }
}

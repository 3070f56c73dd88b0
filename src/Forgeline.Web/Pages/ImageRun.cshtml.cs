using Forgeline.Core.Images;
using Forgeline.Images.Server;
using Forgeline.Web.Features.Projects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>One test run: what it tested, and each VM job in plan order with its log, screenshot, JUnit results and disk.</summary>
public sealed class ImageRunModel(ImageQueries queries, TimeProvider time) : PageModel
{
    /// <summary>The run shown.</summary>
    public ImageRunDto? Run { get; private set; }

    /// <summary>Now, for the duration of a run still going.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Loads the run; 404 when there is none the visitor may see.</summary>
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var result = await queries.RunAsync(ProjectEndpoints.Caller(User), id, cancellationToken);
        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Run = result.Value;
        Now = time.GetUtcNow();
        return Page();
    }
}

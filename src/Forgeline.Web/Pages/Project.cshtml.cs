using Forgeline.Core.Projects;
using Forgeline.Projects;
using Forgeline.Web.Features.Projects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>One project: how to install from it, its packages with their latest state, and the dependency graph of its latest batch.</summary>
public sealed class ProjectModel(ProjectService projects, PackageService packages, BatchQueries batches) : PageModel
{
    /// <summary>The project.</summary>
    public ProjectDto? Project { get; private set; }

    /// <summary>Its packages.</summary>
    public IReadOnlyList<PackageDto> Packages { get; private set; } = [];

    /// <summary>The batch drawn: the one asked for, else the latest.</summary>
    public BatchDto? Batch { get; private set; }

    /// <summary>The graph of <see cref="Batch"/>, laid out.</summary>
    public BatchGraphLayout? Graph { get; private set; }

    /// <summary>The server as the browser reached it, for the install instructions.</summary>
    public string Server => $"{Request.Scheme}://{Request.Host}";

    /// <summary>Loads the project; 404 for one the visitor may not see.</summary>
    public async Task<IActionResult> OnGetAsync(string name, long? batch, CancellationToken cancellationToken)
    {
        var caller = ProjectEndpoints.Caller(User);
        var found = await projects.GetAsync(caller, name, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        Project = found.Value;
        Packages = (await packages.ListAsync(caller, name, cancellationToken)).Value ?? [];
        var latest = await batches.GetAsync(caller, name, batch, cancellationToken);
        Batch = latest.IsSuccess ? latest.Value : null;
        Graph = Batch is null ? null : BatchGraphLayout.Of(Batch, Project!.Chroots[0]);
        return Page();
    }
}

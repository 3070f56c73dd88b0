using Forgeline.Core.Projects;
using Forgeline.Projects;
using Forgeline.Web.Features.Projects;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The projects the visitor can see (public ones to everyone), with their repositories.</summary>
public sealed class ProjectsModel(ProjectService projects) : PageModel
{
    /// <summary>The projects shown.</summary>
    public IReadOnlyList<ProjectDto> Projects { get; private set; } = [];

    /// <summary>Loads them.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Projects = await projects.ListAsync(ProjectEndpoints.Caller(User), cancellationToken);
}

using Forgeline.Core.Workers;
using Forgeline.Builds;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>The workers with their state and current job.</summary>
public sealed class WorkersModel(WorkerService workers) : PageModel
{
    /// <summary>The workers shown.</summary>
    public IReadOnlyList<WorkerDto> Workers { get; private set; } = [];

    /// <summary>Loads the workers.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => Workers = await workers.ListAsync(cancellationToken);
}

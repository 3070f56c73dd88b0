using Forgeline.Core.Accounts;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds;

/// <summary>Whether a viewer may see a build: every build outside projects, and those of projects the viewer may see.</summary>
public sealed class BuildVisibility(ForgelineDbContext db, IPrivateProjects privateProjects)
{
    /// <summary>Ids of projects whose builds <paramref name="viewer"/> may not see.</summary>
    public Task<IReadOnlyList<long>> HiddenProjectsAsync(Viewer viewer, CancellationToken cancellationToken) => privateProjects.HiddenFromAsync(viewer, cancellationToken);

    /// <summary>Whether build <paramref name="id"/> exists and belongs to a private project <paramref name="viewer"/> may not see.</summary>
    public async Task<bool> IsHiddenAsync(long id, Viewer viewer, CancellationToken cancellationToken)
    {
        var build = await db.Builds.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.ProjectId }).FirstOrDefaultAsync(cancellationToken);
        return build?.ProjectId is { } projectId && (await privateProjects.HiddenFromAsync(viewer, cancellationToken)).Contains(projectId);
    }
}

/// <summary>The build farm alone, without projects: nothing is private.</summary>
internal sealed class NoPrivateProjects : IPrivateProjects
{
    /// <inheritdoc />
    public Task<IReadOnlyList<long>> HiddenFromAsync(Viewer viewer, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<long>>([]);
}

using Forgeline.Builds.Targets;
using Forgeline.Core.Signing;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Projects;

/// <summary>
/// The project's repository on top of a build target's in a root: <c>/repos/P/CHROOT/</c>, checked with the project's
/// public key, once it has been published (before, there is nothing for dnf to read).
/// </summary>
public sealed class ProjectRootLayer(ForgelineDbContext db, ISigningBackend keys) : IProjectRootLayer
{
    /// <inheritdoc />
    public async Task<JobRepository?> RepositoryAsync(long projectId, string chroot, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.Name, p.SigningKey }).FirstOrDefaultAsync(cancellationToken);
        var published = await db.Repositories.AsNoTracking().AnyAsync(r => r.ProjectId == projectId && r.Chroot == chroot && r.PublishedAt != null, cancellationToken);
        if (project is null || !published)
        {
            return null;
        }

        // Without its key dnf could not check the repository: leave it out rather than install unchecked packages.
        var key = await keys.GetKeyAsync(project.SigningKey, cancellationToken);
        return key is { IsSuccess: true, Value: { } found }
            ? new JobRepository("project", ProjectRepositories.UrlOf(project.Name, chroot), found.PublicKey, JobRepository.ProjectLayer)
            : null;
    }
}

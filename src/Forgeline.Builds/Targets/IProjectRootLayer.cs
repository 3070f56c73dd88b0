using Forgeline.Core.Workers;

namespace Forgeline.Builds.Targets;

/// <summary>
/// The project's own repository in a build root (<see cref="JobRepository.ProjectLayer"/>), asked for at lease time. The
/// projects part provides it; the farm knows nothing of projects beyond the id a build carries.
/// </summary>
public interface IProjectRootLayer
{
    /// <summary>The repository of <paramref name="projectId"/> for <paramref name="chroot"/>, or null while it was never published.</summary>
    Task<JobRepository?> RepositoryAsync(long projectId, string chroot, CancellationToken cancellationToken);
}

/// <summary>The layer of a farm without projects: none.</summary>
public sealed class NoProjectRootLayer : IProjectRootLayer
{
    /// <inheritdoc />
    public Task<JobRepository?> RepositoryAsync(long projectId, string chroot, CancellationToken cancellationToken) => Task.FromResult<JobRepository?>(null);
}

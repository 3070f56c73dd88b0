using Forgeline.Core.Signing;
using Forgeline.Core.Workers;

namespace Forgeline.Projects;

/// <summary>
/// The project's repository on top of a build target's in its builds' roots: <c>/repos/P/CHROOT/</c>, checked with the
/// project's public key. It goes with the build's placement; the worker leaves it out while nothing is published in it.
/// </summary>
public static class ProjectRootLayer
{
    /// <summary>The layer of <paramref name="project"/>'s <paramref name="chroot"/>; null when the project's key cannot be read (dnf could not check its packages).</summary>
    public static async Task<JobRepository?> OfAsync(string project, string signingKey, string chroot, ISigningBackend keys, CancellationToken cancellationToken)
    {
        var key = await keys.GetKeyAsync(signingKey, cancellationToken);
        return key is { IsSuccess: true, Value: { } found }
            ? new JobRepository("project", ProjectRepositories.UrlOf(project, chroot), found.PublicKey, JobRepository.ProjectLayer)
            : null;
    }
}

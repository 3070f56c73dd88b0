using Forgeline.Core.Accounts;

namespace Forgeline.Core.Projects;

/// <summary>Which private projects a viewer may not see: the build farm hides their builds, logs and artifacts from that viewer.</summary>
public interface IPrivateProjects
{
    /// <summary>Ids of the private projects <paramref name="viewer"/> is neither owner nor member of (none for admins).</summary>
    Task<IReadOnlyList<long>> HiddenFromAsync(Viewer viewer, CancellationToken cancellationToken);
}

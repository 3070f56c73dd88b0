using Forgeline.Core.Workers;

namespace Forgeline.Builds;

/// <summary>
/// Where a build submitted by another part belongs, as plain data: the farm stores it with the build and calls nobody
/// back. The submitter records the build in its own tables afterwards, and <paramref name="Origin"/> makes that safe: a
/// second submission with the same key (after a crash between the two steps) returns the build made the first time.
/// </summary>
/// <param name="ProjectId">The project it is built for (its visibility follows the project's); null for none.</param>
/// <param name="Dependencies">RPMs of other packages of the project that the build needs installed.</param>
/// <param name="Origin">The submitter's idempotency key, unique across the farm (e.g. <c>batch-entry/42</c>); null for none.</param>
/// <param name="RootLayer">
/// The submitter's own repository, laid over the target's in the build's root (a project's <c>/repos/P/CHROOT/</c> with
/// its key); the worker leaves it out while nothing is published in it. Only for builds with a target.
/// </param>
public sealed record BuildPlacement(long? ProjectId = null, IReadOnlyList<JobDependency>? Dependencies = null, string? Origin = null, JobRepository? RootLayer = null)
{
    /// <summary>The longest <see cref="Origin"/> stored.</summary>
    public const int MaxOriginLength = 200;
}

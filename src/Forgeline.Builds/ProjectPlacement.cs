using Forgeline.Core.Workers;
using Forgeline.Data.Entities;

namespace Forgeline.Builds;

/// <summary>A build submitted for a project: which project, what is installed in its build environment, and who records it.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Dependencies">RPMs of other packages of the project that the build needs installed.</param>
/// <param name="Attach">Called with the new build before it is saved, so the caller's own record of it commits in the same transaction.</param>
public sealed record ProjectPlacement(long ProjectId, IReadOnlyList<JobDependency> Dependencies, Action<BuildRecord> Attach);

using Forgeline.Core.Builds;

namespace Forgeline.Builds;

/// <summary>A build in its final state, as other parts see it.</summary>
/// <param name="Id">The build.</param>
/// <param name="State">Succeeded, failed or canceled.</param>
/// <param name="Reason">Why it failed or was canceled; null when it succeeded.</param>
public sealed record EndedBuild(long Id, BuildState State, string? Reason);

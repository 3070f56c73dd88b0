namespace Forgeline.Projects.Dependencies;

/// <summary>The chain of builds that takes longest however many builders there are: a lower bound of a full rebuild's time.</summary>
/// <param name="Duration">The chain's total build time.</param>
/// <param name="Packages">The chain, first built first; for a cycle on it, its slowest member.</param>
public sealed record CriticalChain(TimeSpan Duration, IReadOnlyList<string> Packages);

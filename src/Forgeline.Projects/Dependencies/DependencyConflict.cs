namespace Forgeline.Projects.Dependencies;

/// <summary>Project packages that get in each other's way.</summary>
/// <param name="Kind">What the conflict is.</param>
/// <param name="Packages">The packages involved, in ordinal order (for an ambiguous provider: the providers).</param>
/// <param name="Subject">The binary package name both produce, or the requirement both provide.</param>
/// <param name="RequiredBy">For <see cref="DependencyConflictKind.AmbiguousProvider"/>: the package whose requirement it is.</param>
/// <param name="Message">For people: what is wrong and what to do.</param>
public sealed record DependencyConflict(DependencyConflictKind Kind, IReadOnlyList<string> Packages, string Subject, string? RequiredBy, string Message);

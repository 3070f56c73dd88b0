namespace Forgeline.Projects.Dependencies;

/// <summary>Packages that build-require each other, directly or through each other (a strongly connected component), or one that build-requires itself.</summary>
/// <param name="Members">The packages, in ordinal order.</param>
/// <param name="Description">A closed walk through every member from the first, e.g. <c>a → b → c → a</c>; an arrow reads "build-requires".</param>
public sealed record DependencyCycle(IReadOnlyList<string> Members, string Description);

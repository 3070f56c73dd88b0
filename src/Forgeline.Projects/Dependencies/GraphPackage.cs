using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Dependencies;

/// <summary>One package of a project as the dependency graph sees it.</summary>
/// <param name="Package">The project's name for it (normally the source package name); unique in the project.</param>
/// <param name="BuildRequires">Its build requirements.</param>
/// <param name="Provides">What its binary packages provide, together: from <see cref="SpecFacts"/> before the first build, from the built RPMs' headers after.</param>
/// <param name="BinaryNames">The names of its binary packages.</param>
public sealed record GraphPackage(string Package, IReadOnlyList<RpmCapability> BuildRequires, IReadOnlyList<RpmCapability> Provides, IReadOnlyList<string> BinaryNames)
{
    /// <summary>The package as its spec describes it.</summary>
    public static GraphPackage FromSpec(string package, SpecFacts facts) =>
        new(package, facts.BuildRequires, [.. facts.AllProvides], [.. facts.Packages.Select(p => p.Name)]);
}

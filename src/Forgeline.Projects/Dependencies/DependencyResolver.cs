using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Dependencies;

/// <summary>
/// Finds, for every build requirement, the project packages that provide it (with version ranges), or else whether
/// the build environment does. Project packages come first: a project that carries its own newer <c>foo</c> builds
/// it before what needs it, even when the build environment has an older one.
/// </summary>
internal sealed class DependencyResolver
{
    private readonly Dictionary<string, List<(string Package, RpmCapability Provide)>> providers = new(StringComparer.Ordinal);
    private readonly Buildroot buildroot;
    private readonly List<DependencyEdge> edges = [];
    private readonly List<MissingDependency> missing = [];
    private readonly List<DependencyConflict> conflicts = [];

    private DependencyResolver(Buildroot buildroot)
    {
        this.buildroot = buildroot;
    }

    /// <summary>The edges, missing requirements and conflicts of <paramref name="packages"/>.</summary>
    public static (List<DependencyEdge> Edges, List<MissingDependency> Missing, List<DependencyConflict> Conflicts) Resolve(IReadOnlyList<GraphPackage> packages, Buildroot buildroot)
    {
        var resolver = new DependencyResolver(buildroot);
        foreach (var package in packages)
        {
            foreach (var provide in package.Provides.Where(p => !p.IsRich))
            {
                if (!resolver.providers.TryGetValue(provide.Name, out var list))
                {
                    resolver.providers[provide.Name] = list = [];
                }

                list.Add((package.Package, provide));
            }
        }

        resolver.FindSameBinaryNames(packages);
        foreach (var package in packages)
        {
            foreach (var requirement in package.BuildRequires.Distinct())
            {
                resolver.Require(package.Package, requirement);
            }
        }

        return (resolver.edges, resolver.missing, resolver.conflicts);
    }

    private void FindSameBinaryNames(IReadOnlyList<GraphPackage> packages)
    {
        var producers = packages.SelectMany(p => p.BinaryNames.Distinct(StringComparer.Ordinal).Select(binary => (Binary: binary, p.Package)))
            .GroupBy(x => x.Binary, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in producers)
        {
            var names = group.Select(x => x.Package).Order(StringComparer.Ordinal).ToList();
            conflicts.Add(new DependencyConflict(DependencyConflictKind.SameBinaryPackage, names, group.Key, null,
                $"{Listing(names)} all produce the binary package '{group.Key}'; rename it in all but one spec, or remove all but one of these packages from the project"));
        }
    }

    private void Require(string package, RpmCapability requirement)
    {
        if (!requirement.IsRich)
        {
            switch (Simple(requirement))
            {
                case { Providers.Count: > 0 } found:
                    Depend(package, requirement, found.Providers);
                    break;
                case { InBuildroot: true }:
                    break;
                default:
                    missing.Add(new MissingDependency(package, requirement, $"nothing provides {requirement} needed by {package}{NearMiss(requirement)}"));
                    break;
            }

            return;
        }

        RichDependency rich;
        try
        {
            rich = requirement.ToRich();
        }
        catch (FormatException e)
        {
            missing.Add(new MissingDependency(package, requirement, $"cannot read {requirement} needed by {package}: {e.Message}"));
            return;
        }

        var outcome = Evaluate(rich);
        if (outcome.Unsupported is { } op)
        {
            missing.Add(new MissingDependency(package, requirement,
                $"cannot evaluate {requirement} needed by {package}: Forgeline evaluates only 'and' and 'or' in rich build requirements, not '{op}'; write the requirement without it"));
        }
        else if (!outcome.Satisfied)
        {
            missing.Add(new MissingDependency(package, requirement, $"nothing provides {requirement} needed by {package}"));
        }
        else
        {
            foreach (var (leaf, leafProviders) in outcome.Chosen)
            {
                Depend(package, leaf, leafProviders);
            }
        }
    }

    private void Depend(string package, RpmCapability requirement, IReadOnlyList<string> on)
    {
        foreach (var provider in on)
        {
            edges.Add(new DependencyEdge(package, provider, requirement));
        }

        if (on.Count > 1)
        {
            conflicts.Add(new DependencyConflict(DependencyConflictKind.AmbiguousProvider, on, requirement.ToString(), package,
                $"{Listing(on)} all provide {requirement}, needed by {package}; require something only one of them provides, or remove the others from the project"));
        }
    }

    private (IReadOnlyList<string> Providers, bool InBuildroot) Simple(RpmCapability requirement)
    {
        var found = providers.TryGetValue(requirement.Name, out var candidates)
            ? candidates.Where(c => RpmVersion.Satisfies(c.Provide, requirement)).Select(c => c.Package).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : [];
        return (found, found.Count == 0 && buildroot.Provides(requirement));
    }

    /// <summary>and: every operand; or: the first operand that is met, in the order written (as dnf tries them).</summary>
    private RichOutcome Evaluate(RichDependency node)
    {
        if (node.Capability is { } leaf)
        {
            var (found, inBuildroot) = Simple(leaf);
            return found.Count > 0 ? new RichOutcome(true, null, [(leaf, found)]) : new RichOutcome(inBuildroot, null, []);
        }

        var operands = node.Operands.Select(Evaluate).ToList();
        if (node.Operator is not ("and" or "or"))
        {
            return new RichOutcome(false, node.Operator, []);
        }

        if (operands.FirstOrDefault(o => o.Unsupported is not null) is { } unsupported)
        {
            return unsupported;
        }

        if (node.Operator == "and")
        {
            return operands.All(o => o.Satisfied) ? new RichOutcome(true, null, [.. operands.SelectMany(o => o.Chosen)]) : new RichOutcome(false, null, []);
        }

        return operands.FirstOrDefault(o => o.Satisfied) ?? new RichOutcome(false, null, []);
    }

    /// <summary>When a project package provides the name but not the version asked for, say so: that is the usual mistake.</summary>
    private string NearMiss(RpmCapability requirement)
    {
        if (!providers.TryGetValue(requirement.Name, out var candidates))
        {
            return "";
        }

        var offers = candidates.Select(c => $"{c.Package} provides {c.Provide}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(3);
        return $" ({string.Join("; ", offers)}, which does not satisfy it)";
    }

    private static string Listing(IReadOnlyList<string> names) =>
        names.Count == 2 ? $"{names[0]} and {names[1]}" : string.Join(", ", names.Take(names.Count - 1)) + $" and {names[^1]}";

    private sealed record RichOutcome(bool Satisfied, string? Unsupported, IReadOnlyList<(RpmCapability Leaf, IReadOnlyList<string> Providers)> Chosen);
}

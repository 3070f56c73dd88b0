using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Dependencies;

/// <summary>
/// What the build environment provides by itself, before any project package is built (a compiler, make, files of the
/// base system). <c>rpmlib(…)</c> features always count as provided: rpm itself has them.
/// </summary>
public sealed class Buildroot
{
    private readonly Func<RpmCapability, bool> provides;

    private Buildroot(Func<RpmCapability, bool> provides)
    {
        this.provides = provides;
    }

    /// <summary>Provides nothing but rpmlib features: every requirement must come from the project.</summary>
    public static Buildroot Empty { get; } = new(_ => false);

    /// <summary>Provides everything the project does not: for workers that build with the host's tools and <c>--nodeps</c>, where the project only orders.</summary>
    public static Buildroot Anything { get; } = new(_ => true);

    /// <summary>Provides exactly <paramref name="capabilities"/> (versioned or not; a file path as a capability provides that file).</summary>
    public static Buildroot Of(IEnumerable<RpmCapability> capabilities)
    {
        var byName = capabilities.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return new Buildroot(require => byName.TryGetValue(require.Name, out var candidates) && candidates.Any(c => RpmVersion.Satisfies(c, require)));
    }

    /// <summary>Provides what <paramref name="predicate"/> accepts (e.g. a look-up in a distribution's repository metadata).</summary>
    public static Buildroot Where(Func<RpmCapability, bool> predicate) => new(predicate);

    /// <summary>Whether the build environment satisfies the simple (not rich) requirement <paramref name="requirement"/>.</summary>
    public bool Provides(RpmCapability requirement) => requirement.IsRpmlib || provides(requirement);
}

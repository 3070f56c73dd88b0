using Forgeline.Core;

namespace Forgeline.Projects;

/// <summary>The rules project settings follow, with the words for error messages.</summary>
public static class ProjectRules
{
    /// <summary><c>distribution-version-arch</c>, lower case, e.g. <c>openeuler-24.03-x86_64</c>.</summary>
    public const string ChrootPattern = "^[a-z0-9][a-z0-9.+_]*(-[a-z0-9.+_]+)*-[a-z0-9_]+$";

    private static readonly System.Text.RegularExpressions.Regex Chroot = new(ChrootPattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The policies for a BuildRequires nothing provides.</summary>
    public static readonly string[] MissingPolicies = ["fail", "wait"];

    /// <summary>What is wrong with a chroot name, or null.</summary>
    public static string? ChrootProblem(string chroot) =>
        chroot.Length <= 64 && Chroot.IsMatch(chroot) && chroot.LastIndexOf('-') > 0
            ? null
            : $"'{chroot}' is not a chroot: use distribution-version-arch in lower case, e.g. openeuler-24.03-x86_64";

    /// <summary>The architecture of a chroot that names no build target: what follows its last '-'.</summary>
    public static string ArchOf(string chroot) => chroot[(chroot.LastIndexOf('-') + 1)..];

    /// <summary>The architecture of a chroot: its build target's when it names one, else what follows its last '-'.</summary>
    public static async Task<string> ArchOfAsync(string chroot, Builds.Targets.TargetService targets, CancellationToken cancellationToken) =>
        (await targets.FindAsync(chroot, cancellationToken))?.Arch ?? ArchOf(chroot);

    /// <summary>Whether <paramref name="chroot"/> may name a repository directory: a chroot, or a build target's name.</summary>
    public static bool IsRepositoryName(string chroot) =>
        ChrootProblem(chroot) is null || Core.Targets.TargetRules.IsValidName(chroot);

    /// <summary>What is wrong with a dist tag, or null (<c>.oe2403</c>, <c>.fc40</c>).</summary>
    public static string? DistTagProblem(string distTag) =>
        distTag.Length is >= 2 and <= 32 && distTag[0] == '.' && distTag[1..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+')
            ? null
            : $"dist tag '{distTag}' must start with '.' and contain only letters, digits, '.', '_' or '+' (e.g. .oe2403)";

    /// <summary>What is wrong with a project or package name, or null.</summary>
    public static string? NameProblem(string what, string? name) =>
        ResourceName.IsValid(name) ? null : $"a {what} name is {ResourceName.Rule}; '{name}' is not";
}

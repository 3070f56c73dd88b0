using System.Text.RegularExpressions;
using Forgeline.Core.Builds;

namespace Forgeline.Core.Targets;

/// <summary>The rules a build target's definition follows, with the words for error messages.</summary>
public static partial class TargetRules
{
    /// <summary>The RPM architectures a target may build for.</summary>
    public static readonly IReadOnlyList<string> Arches = ["x86_64", "aarch64", "i686", "ppc64le", "s390x", "riscv64", "loongarch64", "armv7hl"];

    /// <summary>The base packages of a target that names none.</summary>
    public static readonly IReadOnlyList<string> DefaultBasePackages = ["@buildsys-build"];

    /// <summary>The <c>$releasever</c> of a target that names none.</summary>
    public const string DefaultReleaseVersion = "1";

    /// <summary>The rule for names, for error messages.</summary>
    public const string NameRule = "1 to 64 letters, digits, '.', '_', '+' or '-', starting with a letter or digit (e.g. openEuler-24.03)";

    private static readonly string[] Schemes = ["http", "https", "file"];

    /// <summary>Whether <paramref name="name"/> is a valid target name.</summary>
    public static bool IsValidName(string? name) => name is { Length: >= 1 and <= 64 } && Name().IsMatch(name);

    /// <summary>What is wrong with <paramref name="request"/> for a target named <paramref name="name"/>, or null.</summary>
    public static string? FindProblem(string name, PutTargetRequest request)
    {
        if (!IsValidName(name))
        {
            return $"'{name}' is not a target name: use {NameRule}";
        }

        if (!Arches.Contains(request.Arch))
        {
            return $"'{request.Arch}' is not an architecture a target can build for; use one of {string.Join(", ", Arches)}";
        }

        if (request.Repositories is not { Count: > 0 } repositories)
        {
            return "a target needs at least one repository";
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var repository in repositories)
        {
            if (RepositoryProblem(repository) is { } problem)
            {
                return problem;
            }

            if (!ids.Add(repository.Id))
            {
                return $"repository id '{repository.Id}' is given twice; each repository needs an id of its own";
            }
        }

        foreach (var package in request.BasePackages ?? [])
        {
            if (package.Length is 0 or > 128 || package.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || package.StartsWith('-'))
            {
                return $"base package '{package}' is not a package or group name (no spaces; groups start with @, e.g. @buildsys-build)";
            }
        }

        if (request.Macros is { } macros)
        {
            if (BuildMacros.FindProblem(macros) is { } macroProblem)
            {
                return macroProblem;
            }

            if (macros.ContainsKey("dist"))
            {
                return "set the dist tag with --dist-tag, not as the macro 'dist'";
            }
        }

        if (request.DistTag is { Length: > 0 } dist && !(dist.Length <= 32 && dist[0] == '.' && dist.Length >= 2 && dist[1..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '+')))
        {
            return $"dist tag '{dist}' must start with '.' and contain only letters, digits, '.', '_' or '+' (e.g. .oe2403)";
        }

        if (request.RpmDbPath is { Length: > 0 } db && (db[0] != '/' || db.Length > 255 || db.Split('/').Contains("..") || db.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            return $"rpmdb path '{db}' must be an absolute path inside the root without spaces or '..' (e.g. /var/lib/rpm or /usr/lib/sysimage/rpm)";
        }

        if (request.ReleaseVersion is { Length: > 0 } release && (release.Length > 32 || !release.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+')))
        {
            return $"releasever '{release}' must be up to 32 letters, digits, '.', '_', '-' or '+' (e.g. 24.03)";
        }

        return null;
    }

    /// <summary>What is wrong with one repository, or null.</summary>
    public static string? RepositoryProblem(TargetRepository repository)
    {
        if (repository.Id is not { Length: >= 1 and <= 64 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return $"repository id '{repository.Id}' must be 1 to 64 letters, digits, '.', '_' or '-' (e.g. base, update)";
        }

        // The scheme must be written out: on Linux a bare path like /srv/repo parses as a file:// URI too.
        if (!Uri.TryCreate(repository.Url, UriKind.Absolute, out var url) || !Schemes.Contains(url.Scheme)
            || !repository.Url.StartsWith(url.Scheme + "://", StringComparison.OrdinalIgnoreCase) || repository.Url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"repository '{id}': '{repository.Url}' is not a repository URL; use http://, https:// or file://";
        }

        if (repository.GpgKey is { } key && !key.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal))
        {
            return $"repository '{id}': the GPG key must be an armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK-----)";
        }

        if (repository.SignedMetadata && repository.GpgKey is null)
        {
            return $"repository '{id}': signed metadata can only be checked with a GPG key; give the repository's key";
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}

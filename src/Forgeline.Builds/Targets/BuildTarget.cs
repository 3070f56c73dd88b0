using System.Security.Cryptography;
using System.Text;
using Forgeline.Core.Targets;
using Forgeline.Core.Workers;

namespace Forgeline.Builds.Targets;

/// <summary>A build target's full definition, from the database or the settings, with its defaults filled in.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Arch">The architecture of its roots.</param>
/// <param name="Repositories">Its repositories, in order.</param>
/// <param name="BasePackages">What every root holds before the build's own BuildRequires.</param>
/// <param name="Macros">RPM macros of its builds.</param>
/// <param name="DistTag">The <c>%{dist}</c> of its builds, or null.</param>
/// <param name="RpmDbPath">The rpm database path inside its roots.</param>
/// <param name="ReleaseVersion">dnf's <c>$releasever</c>.</param>
/// <param name="Source"><c>api</c> or <c>settings</c>.</param>
/// <param name="UpdatedAt">When it was last put through the API.</param>
public sealed record BuildTarget(
    string Name,
    string Arch,
    IReadOnlyList<TargetRepository> Repositories,
    IReadOnlyList<string> BasePackages,
    IReadOnlyDictionary<string, string> Macros,
    string? DistTag,
    string RpmDbPath,
    string ReleaseVersion,
    string Source,
    DateTime? UpdatedAt = null)
{
    /// <summary><see cref="Source"/> of targets made through the API.</summary>
    public const string FromApi = "api";

    /// <summary><see cref="Source"/> of targets from <c>Forgeline:Targets</c>.</summary>
    public const string FromSettings = "settings";

    /// <summary>The definition <paramref name="request"/> gives <paramref name="name"/>, defaults filled in.</summary>
    public static BuildTarget Of(string name, PutTargetRequest request, string source, DateTime? updatedAt = null) => new(
        name,
        request.Arch,
        request.Repositories.Select(r => r with { GpgKey = string.IsNullOrWhiteSpace(r.GpgKey) ? null : r.GpgKey }).ToList(),
        request.BasePackages is { Count: > 0 } packages ? packages.ToList() : TargetRules.DefaultBasePackages,
        new SortedDictionary<string, string>((request.Macros ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal),
        string.IsNullOrEmpty(request.DistTag) ? null : request.DistTag,
        string.IsNullOrEmpty(request.RpmDbPath) ? JobRoot.DefaultRpmDbPath : request.RpmDbPath,
        string.IsNullOrEmpty(request.ReleaseVersion) ? TargetRules.DefaultReleaseVersion : request.ReleaseVersion,
        source,
        updatedAt);

    /// <summary>sha256 of everything that shapes a root and a build of the target (not where the definition came from).</summary>
    public string Digest
    {
        get
        {
            var text = new StringBuilder("forgeline-build-target-v1\n");
            void Field(string label, string? value) => text.Append(label).Append(' ').Append(value?.Length ?? -1).Append(':').Append(value).Append('\n');
            Field("name", Name);
            Field("arch", Arch);
            foreach (var repository in Repositories)
            {
                Field("repo", repository.Id);
                Field("url", repository.Url);
                Field("gpgkey", repository.GpgKey);
                if (repository.SignedMetadata)
                {
                    Field("signed-metadata", "yes");
                }
            }

            foreach (var package in BasePackages)
            {
                Field("base", package);
            }

            foreach (var (name, value) in Macros.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                Field("macro", name);
                Field("value", value);
            }

            Field("dist", DistTag);
            Field("rpmdb", RpmDbPath);
            Field("releasever", ReleaseVersion);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>The macros a build of the target gets before its own: the target's, and its dist tag as <c>dist</c>.</summary>
    public Dictionary<string, string> BuildMacros()
    {
        var macros = new Dictionary<string, string>(Macros, StringComparer.Ordinal);
        if (DistTag is { } dist)
        {
            macros["dist"] = dist;
        }

        return macros;
    }

    /// <summary>The root a lease hands the worker: the target's repositories, then <paramref name="project"/> when given.</summary>
    public JobRoot Root(JobRepository? project) => new(
        Name,
        Arch,
        [.. Repositories.Select(r => new JobRepository(r.Id, r.Url, r.GpgKey, JobRepository.TargetLayer, r.SignedMetadata)), .. project is null ? Array.Empty<JobRepository>() : [project]],
        BasePackages,
        RpmDbPath,
        ReleaseVersion);

    /// <summary>What the API returns.</summary>
    public TargetDto ToDto() => new(Name, Arch, Repositories, BasePackages, Macros, DistTag, RpmDbPath, ReleaseVersion, Source, Digest,
        UpdatedAt is { } at ? new DateTimeOffset(at) : null);
}

namespace Forgeline.Core.Targets;

/// <summary>One RPM repository of a build target, in the order dnf is given them.</summary>
/// <param name="Id">dnf's repository id, unique in the target, e.g. <c>base</c>, <c>update</c>.</param>
/// <param name="Url">Where it is: <c>http://</c>, <c>https://</c> or <c>file://</c>.</param>
/// <param name="GpgKey">Armored OpenPGP public key; when set, dnf checks every RPM's signature with it.</param>
/// <param name="SignedMetadata">
/// With <paramref name="GpgKey"/>: the repository also signs its metadata (<c>repomd.xml.asc</c>) and dnf checks that
/// too. Fedora's and openEuler's repositories sign only their packages; Forgeline's own sign both.
/// </param>
public sealed record TargetRepository(string Id, string Url, string? GpgKey = null, bool SignedMetadata = false);

/// <summary>Body of <c>PUT /api/v1/targets/{name}</c>: what a build target is made of.</summary>
/// <param name="Arch">The RPM architecture its roots are made for, e.g. <c>x86_64</c>.</param>
/// <param name="Repositories">The distribution's repositories, in order.</param>
/// <param name="BasePackages">What every root holds before the build's own BuildRequires; <c>@buildsys-build</c> when empty.</param>
/// <param name="Macros">RPM macros every build of the target gets.</param>
/// <param name="DistTag">The <c>%{dist}</c> of its builds, e.g. <c>.oe2403</c> (a project's own dist tag wins).</param>
/// <param name="RpmDbPath">Where the target's rpm keeps its database inside the root; <c>/var/lib/rpm</c> when empty.</param>
/// <param name="ReleaseVersion">dnf's <c>$releasever</c>; <c>1</c> when empty.</param>
public sealed record PutTargetRequest(
    string Arch,
    IReadOnlyList<TargetRepository> Repositories,
    IReadOnlyList<string>? BasePackages = null,
    IReadOnlyDictionary<string, string>? Macros = null,
    string? DistTag = null,
    string? RpmDbPath = null,
    string? ReleaseVersion = null);

/// <summary>A build target as the API returns it.</summary>
/// <param name="Name">Its name, e.g. <c>openeuler-24.03-x86_64</c>.</param>
/// <param name="Arch">The architecture of its roots.</param>
/// <param name="Repositories">Its repositories, in order.</param>
/// <param name="BasePackages">What every root holds before the build's own BuildRequires.</param>
/// <param name="Macros">RPM macros of its builds (without <c>dist</c>, which <paramref name="DistTag"/> gives).</param>
/// <param name="DistTag">The <c>%{dist}</c> of its builds, or null.</param>
/// <param name="RpmDbPath">The rpm database path inside its roots.</param>
/// <param name="ReleaseVersion">dnf's <c>$releasever</c>.</param>
/// <param name="Source"><c>api</c> (made with <c>PUT</c>) or <c>settings</c> (from <c>Forgeline:Targets</c>; not changeable through the API).</param>
/// <param name="Digest">sha256 of the definition: part of the cache key of every build for it.</param>
/// <param name="UpdatedAt">When it was last made or replaced through the API; null for settings targets.</param>
public sealed record TargetDto(
    string Name,
    string Arch,
    IReadOnlyList<TargetRepository> Repositories,
    IReadOnlyList<string> BasePackages,
    IReadOnlyDictionary<string, string> Macros,
    string? DistTag,
    string RpmDbPath,
    string ReleaseVersion,
    string Source,
    string Digest,
    DateTimeOffset? UpdatedAt = null);

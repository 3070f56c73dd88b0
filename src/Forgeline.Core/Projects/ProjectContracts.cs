using Forgeline.Core.Builds;

namespace Forgeline.Core.Projects;

/// <summary>Body of <c>POST /api/v1/projects</c>.</summary>
/// <param name="Name">Unique name; also a path segment of the repository URL.</param>
/// <param name="Description">One paragraph for people.</param>
/// <param name="Chroots">What to build for, as <c>distribution-version-arch</c> (e.g. <c>openeuler-24.03-x86_64</c>): one repository each.</param>
/// <param name="DistTag">The <c>%{dist}</c> of every build, e.g. <c>.oe2403</c>.</param>
/// <param name="Macros">More RPM macros for every build.</param>
/// <param name="SigningKey">The OpenPGP key packages and repository metadata are signed with; a key of its own is made when empty.</param>
/// <param name="IsPublic">Whether everyone may see the project and install from it.</param>
/// <param name="MissingDependencies">What a build whose BuildRequires nothing provides does: <c>fail</c> at once or <c>wait</c> for a package that provides it.</param>
/// <param name="RebuildDependents">Whether packages that build-require a rebuilt package are rebuilt after it.</param>
/// <param name="KeepBuilds">How many successful builds of each package stay in the repository (older ones are pruned).</param>
/// <param name="Targets">Build targets to build for (each must exist): they become the project's chroots, one repository each, built in the target's clean root. Give these or <paramref name="Chroots"/>, not both.</param>
public sealed record CreateProjectRequest(
    string Name,
    string? Description = null,
    IReadOnlyList<string>? Chroots = null,
    string? DistTag = null,
    IReadOnlyDictionary<string, string>? Macros = null,
    string? SigningKey = null,
    bool IsPublic = true,
    string? MissingDependencies = null,
    bool RebuildDependents = false,
    int? KeepBuilds = null,
    IReadOnlyList<string>? Targets = null);

/// <summary>Body of <c>PATCH /api/v1/projects/{name}</c>: only the fields given change; <paramref name="Targets"/> replaces the chroots with those build targets (each must exist).</summary>
public sealed record EditProjectRequest(
    string? Description = null,
    IReadOnlyList<string>? Chroots = null,
    string? DistTag = null,
    IReadOnlyDictionary<string, string>? Macros = null,
    string? SigningKey = null,
    bool? IsPublic = null,
    string? MissingDependencies = null,
    bool? RebuildDependents = null,
    int? KeepBuilds = null,
    IReadOnlyList<string>? Targets = null);

/// <summary>A project as the API returns it.</summary>
public sealed record ProjectDto(
    string Name,
    string Owner,
    string? Description,
    IReadOnlyList<string> Chroots,
    string? DistTag,
    IReadOnlyDictionary<string, string>? Macros,
    string SigningKey,
    bool IsPublic,
    string MissingDependencies,
    bool RebuildDependents,
    int KeepBuilds,
    IReadOnlyList<ProjectMemberDto> Members,
    DateTimeOffset CreatedAt,
    IReadOnlyList<RepositoryDto> Repositories);

/// <summary>Someone who may work on a project, and as what.</summary>
/// <param name="Principal">A token's owner (or the token's name when it has none).</param>
/// <param name="Role"><c>admin</c> (edit the project and its members) or <c>builder</c> (add packages, build).</param>
public sealed record ProjectMemberDto(string Principal, string Role);

/// <summary>Body of <c>PUT /api/v1/projects/{name}/members/{principal}</c>.</summary>
public sealed record SetMemberRequest(string Role);

/// <summary>One published repository of a project (one chroot).</summary>
/// <param name="Chroot">e.g. <c>openeuler-24.03-x86_64</c>.</param>
/// <param name="Url">Where dnf reads it, relative to the server.</param>
/// <param name="Packages">RPMs in it now.</param>
/// <param name="PublishedAt">When it last changed; null before the first publication.</param>
public sealed record RepositoryDto(string Chroot, string Url, int Packages, DateTimeOffset? PublishedAt);

/// <summary>Body of <c>POST /api/v1/projects/{name}/packages</c> (and of <c>PUT …/packages/{package}</c>, without the name).</summary>
/// <param name="Name">The package's name in the project (usually the spec's Name).</param>
/// <param name="Source">Where it comes from: an uploaded directory or SRPM, or a git repository, ref and spec path.</param>
/// <param name="AutoRebuild">For git sources: rebuild when the forge says the ref moved (webhook).</param>
public sealed record AddPackageRequest(string Name, BuildSource Source, bool AutoRebuild = false);

/// <summary>A package of a project with what its spec says and how its latest builds went.</summary>
public sealed record PackageDto(
    string Name,
    BuildSource Source,
    bool AutoRebuild,
    string? Version,
    IReadOnlyList<string> BuildRequires,
    IReadOnlyList<string> Provides,
    IReadOnlyList<PackageBuildDto> Latest,
    string? WebhookUrl = null);

/// <summary>The latest build of a package for one chroot.</summary>
public sealed record PackageBuildDto(string Chroot, long? BuildId, string State, string? Reason, DateTimeOffset At);

/// <summary>Answer to adding a package: the webhook secret appears here only.</summary>
public sealed record AddPackageResult(PackageDto Package, string? WebhookSecret);

/// <summary>Body of <c>POST /api/v1/projects/{name}/builds</c>: build these packages together, in dependency order; all of them when empty (a mass rebuild).</summary>
public sealed record SubmitProjectBuildRequest(IReadOnlyList<string>? Packages = null);

/// <summary>A set of packages built together in dependency order (a mass rebuild is one).</summary>
/// <param name="Id">Shown to users: <c>forgeline project status P ID</c>.</param>
/// <param name="State"><c>running</c> or <c>finished</c>.</param>
/// <param name="Reason">Why it was made: a user's request, a webhook push, a mass rebuild.</param>
/// <param name="Problems">Cycles (and how they were broken) and other things worth knowing.</param>
/// <param name="Entries">One per package and chroot.</param>
public sealed record BatchDto(
    long Id,
    string Project,
    string State,
    string Reason,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Problems,
    IReadOnlyList<BatchEntryDto> Entries);

/// <summary>One package of a batch for one chroot.</summary>
/// <param name="State">waiting, building, publishing, succeeded, failed, blocked or canceled.</param>
/// <param name="WaitsFor">The packages of the batch it is built after.</param>
/// <param name="Level">Its depth in the dependency graph (0: needs nothing of the batch).</param>
public sealed record BatchEntryDto(long Id, string Package, string Chroot, string State, long? BuildId, string? Reason, int Level, IReadOnlyList<string> WaitsFor);

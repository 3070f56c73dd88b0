using System.Text.Json.Serialization;

namespace Forgeline.Core.Builds;

/// <summary>The sources of a build: an uploaded blob (SRPM or directory tarball) or a git repository.</summary>
/// <param name="Kind">Which kind of source this is.</param>
/// <param name="Blob">sha256 of the uploaded blob, for <see cref="SourceKind.Srpm"/> and <see cref="SourceKind.Directory"/>.</param>
/// <param name="FileName">The name the user gave the upload (shown in the UI).</param>
/// <param name="Url">Git repository URL, for <see cref="SourceKind.Git"/>.</param>
/// <param name="Ref">Git branch, tag or commit; the default branch when empty.</param>
/// <param name="SpecPath">Path of the spec file inside the directory or repository; found automatically when empty.</param>
public sealed record BuildSource(
    SourceKind Kind,
    string? Blob = null,
    string? FileName = null,
    string? Url = null,
    string? Ref = null,
    string? SpecPath = null)
{
    /// <summary>A one-line description for people: the file name or the repository and ref.</summary>
    public string Describe() => Kind switch
    {
        SourceKind.Git => Ref is { Length: > 0 } ? $"{Url} @ {Ref}" : Url ?? "git",
        _ => FileName ?? Blob?[..12] ?? Kind.ToString(),
    };
}

/// <summary>Body of <c>POST /api/v1/builds</c>.</summary>
/// <param name="Source">What to build.</param>
/// <param name="Arch">Architecture to build for; the server's default when empty.</param>
/// <param name="Priority">Order among the owner's own queued builds.</param>
/// <param name="Labels">Worker labels the build needs (e.g. <c>kvm</c>, <c>big</c>); only workers with all of them take it.</param>
/// <param name="Macros">RPM macros defined for the build (<c>rpmbuild --define "name value"</c>).</param>
/// <param name="NoCache">Build even when an identical build already succeeded.</param>
/// <param name="Target">
/// The build target whose clean root it builds in (<c>GET /api/v1/targets</c>); null for the worker's own toolchain. Its arch is
/// the target's: leave <paramref name="Arch"/> out or give the same one.
/// </param>
public sealed record SubmitBuildRequest(
    BuildSource Source,
    string? Arch = null,
    BuildPriority Priority = BuildPriority.Normal,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyDictionary<string, string>? Macros = null,
    bool NoCache = false,
    string? Target = null);

/// <summary>
/// A build as the API returns it; <paramref name="CachedFrom"/> names the earlier identical build whose artifacts it reuses,
/// <paramref name="Target"/> the build target it built for (null: the worker's own toolchain, not isolated) and
/// <paramref name="Root"/> what the worker reported of the clean root it built in (its package list is the artifact of kind <c>root-packages</c>).
/// </summary>
public sealed record BuildDto(
    long Id,
    string State,
    string? Package,
    BuildSource Source,
    string Arch,
    string Owner,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Worker,
    string? Reason,
    int Attempt,
    IReadOnlyList<ArtifactDto> Artifacts,
    BuildPriority Priority = BuildPriority.Normal,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyDictionary<string, string>? Macros = null,
    long? CachedFrom = null,
    string? Target = null,
    Workers.JobRootReport? Root = null)
{
    /// <summary>The state as an enum.</summary>
    [JsonIgnore]
    public BuildState StateValue => Enum.Parse<BuildState>(State, ignoreCase: true);

    /// <summary>How long the build ran (or has run so far), if it started.</summary>
    [JsonIgnore]
    public TimeSpan? Duration => StartedAt is { } s ? (FinishedAt ?? DateTimeOffset.UtcNow) - s : null;
}

/// <summary>One file a build produced, with the digest it is stored under.</summary>
/// <param name="Name">File name, e.g. <c>hello-1.0-1.x86_64.rpm</c>.</param>
/// <param name="Kind"><c>rpm</c>, <c>srpm</c>, <c>log</c> or <c>root-packages</c> (the build root's package list).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex sha256 of the content.</param>
/// <param name="Url">Path to download it from, relative to the server.</param>
public sealed record ArtifactDto(string Name, string Kind, long Size, string Sha256, string Url);

/// <summary>A page of builds, newest first.</summary>
public sealed record BuildPage(IReadOnlyList<BuildDto> Items, long? NextBefore);

/// <summary>Answer to an upload: the digest the blob is stored under.</summary>
public sealed record UploadResult(string Sha256, long Size, string Kind);

/// <summary>A step of a build's life: queued, started, requeued, finished.</summary>
/// <param name="At">When.</param>
/// <param name="Kind"><c>queued</c>, <c>started</c>, <c>requeued</c> or <c>finished</c>; a build has one <c>finished</c> at most.</param>
/// <param name="State">The state after the step.</param>
/// <param name="Worker">The worker involved.</param>
/// <param name="Detail">Why, for people.</param>
public sealed record BuildEventDto(DateTimeOffset At, string Kind, string State, string? Worker, string? Detail);

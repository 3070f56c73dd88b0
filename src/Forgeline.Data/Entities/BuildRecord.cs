using Forgeline.Core.Builds;

namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>builds</c> table: one submitted build and its current lease.</summary>
public sealed class BuildRecord
{
    /// <summary>Build id, shown to users.</summary>
    public long Id { get; set; }

    /// <summary>Where the build is in its lifecycle.</summary>
    public BuildState State { get; set; }

    /// <summary>Name of the token that submitted it.</summary>
    public required string Owner { get; set; }

    /// <summary>Kind of source.</summary>
    public SourceKind SourceKind { get; set; }

    /// <summary>sha256 of the uploaded source blob.</summary>
    public string? SourceBlob { get; set; }

    /// <summary>The uploaded file's name.</summary>
    public string? SourceFileName { get; set; }

    /// <summary>Git URL.</summary>
    public string? GitUrl { get; set; }

    /// <summary>Git ref.</summary>
    public string? GitRef { get; set; }

    /// <summary>Spec path inside the sources.</summary>
    public string? SpecPath { get; set; }

    /// <summary>Name-version-release once known.</summary>
    public string? Package { get; set; }

    /// <summary>Target architecture.</summary>
    public required string Arch { get; set; }

    /// <summary>When it was submitted (UTC).</summary>
    public DateTime SubmittedAt { get; set; }

    /// <summary>When the current attempt started.</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>When it reached a final state.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Reason { get; set; }

    /// <summary>Number of attempts so far (0 while never leased).</summary>
    public int Attempt { get; set; }

    /// <summary>Secret of the current lease; null when not leased.</summary>
    public string? LeaseId { get; set; }

    /// <summary>When the current lease lapses unless renewed.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>Worker holding the lease, or the last one that did.</summary>
    public string? WorkerName { get; set; }

    /// <summary>A user asked to cancel the running build; the worker learns it at its next heartbeat.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Order among the owner's own builds.</summary>
    public BuildPriority Priority { get; set; } = BuildPriority.Normal;

    /// <summary>Worker labels the build needs, sorted and comma-separated; empty for none.</summary>
    public string Labels { get; set; } = "";

    /// <summary>RPM macros for the build as a JSON object; null for none.</summary>
    public string? Macros { get; set; }

    /// <summary>
    /// sha256 over everything that decides the result apart from the build environment: the source's digest, arch,
    /// labels, macros and the build target's name and definition. Null when the source has no stable digest (a git branch).
    /// </summary>
    public string? InputDigest { get; set; }

    /// <summary>Fingerprint of the build environment of the worker that ran the build.</summary>
    public string? Environment { get; set; }

    /// <summary>The earlier identical build whose artifacts this one reuses.</summary>
    public long? CachedFromId { get; set; }

    /// <summary>When it last entered the queue (submitted or queued again).</summary>
    public DateTime QueuedAt { get; set; }

    /// <summary>A build queued again after a worker failure waits until then (backoff).</summary>
    public DateTime? NotBefore { get; set; }

    /// <summary>The project it was built for; null for a build of its own.</summary>
    public long? ProjectId { get; set; }

    /// <summary>
    /// The submitter's idempotency key (unique; e.g. <c>batch-entry/42</c>): a second submission with it returns this build.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>The submitter's repository laid over the target's in its root, as JSON (a <c>JobRepository</c>); null for none.</summary>
    public string? RootLayer { get; set; }

    /// <summary>RPMs installed in its build environment (other packages of its project), as JSON <c>[{"fileName","sha256"}]</c>; null for none.</summary>
    public string? Dependencies { get; set; }

    /// <summary>The build target whose clean root it builds in; null for the worker's own toolchain.</summary>
    public string? Target { get; set; }

    /// <summary>What the worker reported of the root it built in, as JSON (a <c>JobRootReport</c>); null without one.</summary>
    public string? RootReport { get; set; }

    /// <summary>Files the build produced.</summary>
    public List<ArtifactRecord> Artifacts { get; set; } = [];

    /// <summary>Its history, oldest first when ordered by id.</summary>
    public List<BuildEventRecord> Events { get; set; } = [];

    /// <summary>Records a step of its history, saved with the next <c>SaveChanges</c>.</summary>
    public void Record(string kind, DateTime at, string? worker = null, string? detail = null) =>
        Events.Add(new BuildEventRecord { BuildId = Id, Kind = kind, State = State.ToString(), At = at, Worker = worker, Detail = detail });

    /// <summary>The source as the API describes it.</summary>
    public BuildSource Source => new(SourceKind, SourceBlob, SourceFileName, GitUrl, GitRef, SpecPath);
}

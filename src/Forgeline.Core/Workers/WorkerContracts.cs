using System.Text.Json.Serialization;
using Forgeline.Core.Builds;

namespace Forgeline.Core.Workers;

/// <summary>A build worker as the API returns it.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="State"><c>busy</c>, <c>idle</c>, <c>draining</c>, <c>drained</c>, <c>disabled</c> or <c>offline</c>.</param>
/// <param name="Arch">Architecture it builds for.</param>
/// <param name="Slots">Builds it runs at once.</param>
/// <param name="LastSeenAt">Last contact.</param>
/// <param name="CurrentBuilds">Builds it runs now.</param>
/// <param name="Labels">Capabilities builds can ask for.</param>
/// <param name="Environment">Fingerprint of its build environment (toolchain), part of the build cache key.</param>
/// <param name="RecentBuilds">Its latest finished builds, newest first.</param>
/// <param name="BuildRoots">Whether it builds in targets' clean roots (has dnf and a root cache); the others take only builds without a target.</param>
public sealed record WorkerDto(
    string Name,
    string State,
    string Arch,
    int Slots,
    DateTimeOffset LastSeenAt,
    IReadOnlyList<long> CurrentBuilds,
    IReadOnlyList<string>? Labels = null,
    string? Environment = null,
    IReadOnlyList<WorkerBuildDto>? RecentBuilds = null,
    bool BuildRoots = false);

/// <summary>A finished build in a worker's recent history.</summary>
public sealed record WorkerBuildDto(long Id, string State, string? Package, DateTimeOffset? FinishedAt);

/// <summary>What an admin does to a worker: <c>drain</c> (finish running builds, take no new ones), <c>disable</c> (hand running builds back now, take none) or <c>enable</c>.</summary>
public sealed record WorkerActionRequest(string Action);

/// <summary>Body of <c>POST /api/v1/workers/lease</c>: a worker asking for work, waiting up to <paramref name="WaitSeconds"/>.</summary>
/// <param name="Worker">The worker's name.</param>
/// <param name="Arch">Architecture it builds for.</param>
/// <param name="Slots">Builds it runs at once.</param>
/// <param name="WaitSeconds">How long the server may hold the request waiting for a job (at most 60).</param>
/// <param name="Session">Changes each time the worker process starts: the server then knows the builds it held before are gone.</param>
/// <param name="Labels">Capabilities of the worker; a build is only handed to a worker that has every label the build asks for.</param>
/// <param name="Environment">Fingerprint of the worker's build environment; identical inputs built in the same environment are not built again.</param>
/// <param name="BuildRoots">Whether the worker can build in a target's clean root (<see cref="JobLease.Root"/>); builds for a target go only to workers that can.</param>
public sealed record LeaseRequest(string Worker, string Arch, int Slots, int WaitSeconds, string? Session = null, IReadOnlyList<string>? Labels = null, string? Environment = null, bool BuildRoots = false);

/// <summary>A job handed to a worker: the build to run and the lease that proves the worker owns it.</summary>
/// <param name="BuildId">The build.</param>
/// <param name="LeaseId">Secret of this attempt; every later call about the job names it.</param>
/// <param name="Attempt">1 for the first attempt, higher when an earlier worker was lost.</param>
/// <param name="Source">What to build.</param>
/// <param name="Arch">Architecture to build for.</param>
/// <param name="TimeoutSeconds">Wall-clock limit of the whole job.</param>
/// <param name="LogLimitBytes">The job fails when its log grows past this.</param>
/// <param name="LeaseSeconds">The lease lapses unless renewed within this time.</param>
/// <param name="Macros">RPM macros to define for the build.</param>
/// <param name="Dependencies">
/// RPMs to install in the build's environment before rpmbuild runs (packages of the same project built earlier that the
/// build requires); null or empty for none.
/// </param>
/// <param name="Root">The build target's clean root to build in; null for the host toolchain mode (no target).</param>
/// <param name="Protocol">
/// What the server's <c>complete</c> call accepts: 2 (this version) takes the log's last bytes, artifacts the server
/// already stores (by digest) and a request for the next job; 1 (older servers, which leave it out) takes only the outcome.
/// </param>
public sealed record JobLease(
    long BuildId,
    string LeaseId,
    int Attempt,
    BuildSource Source,
    string Arch,
    int TimeoutSeconds,
    long LogLimitBytes,
    int LeaseSeconds,
    IReadOnlyDictionary<string, string>? Macros = null,
    IReadOnlyList<JobDependency>? Dependencies = null,
    int Protocol = 1,
    JobRoot? Root = null)
{
    /// <summary>The <see cref="Protocol"/> of this version: <c>complete</c> takes the log tail, stored artifacts and the next lease request.</summary>
    public const int CompleteCarriesMore = 2;
}

/// <summary>A binary RPM a job builds against, downloaded like the sources from <c>GET /api/v1/blobs/{sha256}</c>.</summary>
/// <param name="FileName">The RPM's file name, e.g. <c>libfoo-devel-1.2-1.x86_64.rpm</c>.</param>
/// <param name="Sha256">The digest the server stores it under; the worker refuses a download that does not match.</param>
public sealed record JobDependency(string FileName, string Sha256);

/// <summary>Answer to a heartbeat: whether the user cancelled, and until when the lease now holds.</summary>
public sealed record HeartbeatResult(bool CancelRequested, DateTimeOffset LeaseExpiresAt);

/// <summary>How a job ended, as a worker reports it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobOutcome>))]
public enum JobOutcome
{
    /// <summary>Built; artifacts were uploaded.</summary>
    Succeeded,

    /// <summary>The build failed; the reason says why.</summary>
    Failed,

    /// <summary>Stopped because the user cancelled.</summary>
    Canceled,

    /// <summary>
    /// Not the package's fault: the worker could not fetch the sources, start the sandbox, write its disk… The server
    /// queues the build again with a backoff, up to the attempt limit.
    /// </summary>
    Error,
}

/// <summary>Body of <c>POST /api/v1/jobs/{lease}/complete</c>.</summary>
/// <param name="Outcome">How the job ended.</param>
/// <param name="Reason">Why it failed, for people.</param>
/// <param name="Package">The name-version-release built.</param>
/// <param name="LogOffset">Where <paramref name="LogTail"/> goes in the build log (as in <c>POST …/log?offset=</c>).</param>
/// <param name="LogTail">The log's last bytes, appended before the job ends, so they need no request of their own.</param>
/// <param name="StoredArtifacts">
/// Results the server already stores under their digest (an SRPM build's own SRPM is its source blob), recorded for the
/// build after the same checks as an upload, so they are not sent again.
/// </param>
/// <param name="Root">The root the job built in (null in the host toolchain mode, or when the job never reached its root).</param>
/// <param name="Next">
/// The worker's request for its next job, answered in <see cref="CompleteJobResult.Next"/> without waiting (its
/// <see cref="LeaseRequest.WaitSeconds"/> is ignored): one round trip between two builds instead of two.
/// </param>
public sealed record CompleteJobRequest(
    JobOutcome Outcome,
    string? Reason,
    string? Package,
    long? LogOffset = null,
    byte[]? LogTail = null,
    IReadOnlyList<StoredArtifact>? StoredArtifacts = null,
    LeaseRequest? Next = null,
    JobRootReport? Root = null);

/// <summary>A result of a job that the server already holds: recorded by digest instead of uploaded.</summary>
/// <param name="Name">File name, as an upload's.</param>
/// <param name="Kind"><c>rpm</c> or <c>srpm</c>.</param>
/// <param name="Sha256">The digest it is stored under.</param>
public sealed record StoredArtifact(string Name, string Kind, string Sha256);

/// <summary>Answer to <c>POST /api/v1/jobs/{lease}/complete</c>.</summary>
/// <param name="State">The build's state now (<c>succeeded</c>, <c>failed</c>, <c>canceled</c>, or <c>queued</c> after an error).</param>
/// <param name="Next">The worker's next job when it asked for one and one was ready at once; otherwise null (then it long-polls <c>workers/lease</c>).</param>
public sealed record CompleteJobResult(string State, JobLease? Next = null);

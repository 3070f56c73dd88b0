using Forgeline.Core.Workers;

namespace Forgeline.Core.Playground;

/// <summary>
/// A playground environment as an admin writes it (<c>forgeline playground env create NAME --file env.json</c>, or
/// <c>PUT /api/v1/playground/environments/NAME</c>): the image every session starts from, what the learner sees beside
/// the terminal, who may start one, and each session's limits.
/// </summary>
/// <param name="Title">A short title for the Playground page, e.g. "Learning git on openEuler".</param>
/// <param name="Welcome">Printed in the terminal before the first prompt.</param>
/// <param name="Course">An optional course in Markdown, shown beside the terminal.</param>
/// <param name="Image">What the root file system holds.</param>
/// <param name="Limits">Each session's limits; null for the defaults.</param>
/// <param name="Anonymous">Whether people who are not signed in may start sessions.</param>
/// <param name="HomeMegabytes">
/// When set, a signed-in user keeps a home directory of at most this many MiB between sessions of this environment;
/// null: every session starts with an empty home.
/// </param>
/// <param name="Network">
/// What a session may reach, as <c>HOST:PORT</c> (TCP), e.g. the community's package mirror <c>repo.openeuler.org:443</c>;
/// null or empty: no network at all. A name is resolved on the host when the session starts and pinned in the
/// session's <c>/etc/hosts</c>; <c>127.0.0.1</c> or <c>localhost</c> is the host machine itself, reached in the session
/// as <c>host.playground.internal</c>.
/// </param>
public sealed record PlaygroundEnvironmentDefinition(
    string? Title,
    string? Welcome,
    string? Course,
    PlaygroundImageDefinition Image,
    PlaygroundLimits? Limits = null,
    bool Anonymous = false,
    int? HomeMegabytes = null,
    IReadOnlyList<string>? Network = null);

/// <summary>
/// The root file system of an environment, built once per host and cached under its digest; sessions start from it
/// copy-on-write. Either <paramref name="Rootfs"/> or <paramref name="Packages"/> (from <paramref name="Repositories"/>), or both
/// (the packages are installed over the root file system).
/// </summary>
/// <param name="Rootfs">A root file system on the host: a directory, or a <c>.tar</c>, <c>.tar.gz</c> or <c>.tar.xz</c> archive (e.g. from debootstrap or a distribution's container image).</param>
/// <param name="Repositories">RPM repositories the packages come from, e.g. a Forgeline project's published repository.</param>
/// <param name="Packages">Packages (or capabilities, groups) dnf installs into the image.</param>
/// <param name="Files">Files to put into the image: absolute path inside the image → content.</param>
/// <param name="Setup">A shell script run once as root inside the image, without network, after the packages and files.</param>
/// <param name="ReleaseVersion">dnf's <c>$releasever</c>.</param>
public sealed record PlaygroundImageDefinition(
    string? Rootfs = null,
    IReadOnlyList<JobRepository>? Repositories = null,
    IReadOnlyList<string>? Packages = null,
    IReadOnlyDictionary<string, string>? Files = null,
    string? Setup = null,
    string ReleaseVersion = "1");

/// <summary>One session's limits. Disk writes live in memory (tmpfs), so the memory limit the kernel enforces is <see cref="MemoryMegabytes"/> + <see cref="DiskMegabytes"/>.</summary>
/// <param name="CpuPercent">CPU time, in percent of one core (100 = one core).</param>
/// <param name="MemoryMegabytes">Memory for the session's processes, MiB.</param>
/// <param name="Processes">Most processes and threads at once (a fork bomb stops here).</param>
/// <param name="DiskMegabytes">What the session may write, MiB.</param>
/// <param name="IdleMinutes">A session nobody typed into for this long ends.</param>
/// <param name="MaxMinutes">A session ends after this long whatever happens.</param>
/// <param name="GraceSeconds">How long a session waits for its browser after a disconnect (a reload) before it ends.</param>
public sealed record PlaygroundLimits(
    int CpuPercent = 100,
    int MemoryMegabytes = 512,
    int Processes = 256,
    int DiskMegabytes = 256,
    int IdleMinutes = 15,
    int MaxMinutes = 60,
    int GraceSeconds = 30)
{
    /// <summary>The defaults.</summary>
    public static PlaygroundLimits Default { get; } = new();
}

/// <summary>An environment as the API shows it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Definition">What the admin wrote.</param>
/// <param name="ImageDigest">sha256 of the image part of the definition: the image's cache key on every host.</param>
/// <param name="UpdatedAt">When it was last put.</param>
public sealed record PlaygroundEnvironmentDto(string Name, PlaygroundEnvironmentDefinition Definition, string ImageDigest, DateTime UpdatedAt);

/// <summary>Body of <c>POST /api/v1/playground/sessions</c>.</summary>
/// <param name="Environment">The environment's name.</param>
public sealed record StartPlaygroundSessionRequest(string Environment);

/// <summary>A playground session as the API shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Environment">The environment it runs.</param>
/// <param name="Owner">Who started it: a user name, or <c>anonymous</c>.</param>
/// <param name="State"><c>queued</c>, <c>starting</c>, <c>running</c> or <c>ended</c>.</param>
/// <param name="QueuePosition">1-based place in the queue while <c>queued</c>.</param>
/// <param name="Host">The playground host it runs on.</param>
/// <param name="CreatedAt">When it was asked for.</param>
/// <param name="StartedAt">When its shell started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="EndReason">Why it ended, in words.</param>
/// <param name="Terminal">The WebSocket path of its terminal (<c>/api/v1/playground/sessions/ID/terminal?key=…</c>); only in the answer to the one who started it.</param>
/// <param name="Usage">What it uses now, while it runs.</param>
public sealed record PlaygroundSessionDto(
    string Id,
    string Environment,
    string Owner,
    string State,
    int? QueuePosition,
    string? Host,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? EndedAt,
    string? EndReason,
    string? Terminal,
    PlaygroundUsage? Usage);

/// <summary>What a session uses, read from its cgroup and its disk.</summary>
/// <param name="MemoryBytes">Memory, its disk's pages included.</param>
/// <param name="CpuSeconds">CPU time used so far.</param>
/// <param name="Processes">Processes and threads now.</param>
public sealed record PlaygroundUsage(long MemoryBytes, double CpuSeconds, int Processes);

/// <summary>The states of <see cref="PlaygroundSessionDto.State"/>.</summary>
public static class PlaygroundSessionStates
{
    /// <summary>Waiting for room on a host.</summary>
    public const string Queued = "queued";

    /// <summary>Placed; the host is starting its shell (and building the image first if it has none).</summary>
    public const string Starting = "starting";

    /// <summary>Its shell runs.</summary>
    public const string Running = "running";

    /// <summary>Its processes and files are gone.</summary>
    public const string Ended = "ended";
}

/// <summary>What a playground host reports to the server (<c>PUT /api/v1/playground/hosts/NAME</c>), every few seconds.</summary>
/// <param name="Url">Where the server reaches it (its HTTP and WebSocket API).</param>
/// <param name="Secret">What the server sends it as a bearer token; the host makes it fresh at each start.</param>
/// <param name="Capacity">How many sessions it runs at most.</param>
/// <param name="Sessions">The sessions it runs now.</param>
public sealed record PlaygroundHostReport(string Url, string Secret, int Capacity, IReadOnlyList<HostSessionDto> Sessions);

/// <summary>A session as its host knows it.</summary>
/// <param name="Id">The session's id (the server's).</param>
/// <param name="Environment">The environment.</param>
/// <param name="Owner">Who started it.</param>
/// <param name="State"><c>starting</c>, <c>running</c> or <c>ended</c>.</param>
/// <param name="StartedAt">When its shell started.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="Usage">What it uses now.</param>
public sealed record HostSessionDto(string Id, string Environment, string Owner, string State, DateTime? StartedAt, string? EndReason, PlaygroundUsage? Usage);

/// <summary>What the server asks a host to start (<c>POST /sessions</c> on the host).</summary>
/// <param name="Id">The session's id.</param>
/// <param name="Environment">The environment's name.</param>
/// <param name="Definition">Its definition, as the server has it now.</param>
/// <param name="Owner">Who started it (a user name or <c>anonymous</c>).</param>
/// <param name="KeepHome">Whether the session keeps the owner's home directory (a signed-in owner and an environment that allows it).</param>
public sealed record HostStartRequest(string Id, string Environment, PlaygroundEnvironmentDefinition Definition, string Owner, bool KeepHome);

/// <summary>The server's answer to a host's report.</summary>
/// <param name="Sessions">The ids of the sessions the server knows on that host; the host ends any other.</param>
public sealed record PlaygroundHostAnswer(IReadOnlyList<string> Sessions);

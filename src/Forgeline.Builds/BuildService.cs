using Forgeline.Core.Images;
using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Builds.Scheduling;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>What users do with builds: upload sources, submit, look, cancel.</summary>
public sealed partial class BuildService(
    ForgelineDbContext db,
    ArtifactStore store,
    BuildLogStore logs,
    FarmEvents events,
    BuildCache cache,
    Targets.TargetService targets,
    IOptions<BuildsOptions> options,
    TimeProvider time,
    ILogger<BuildService> logger)
{
    private static readonly string[] GitSchemes = ["https", "http", "git", "ssh"];

    /// <summary>Receives an SRPM or directory tarball, checks it and stores it by digest. A bad upload leaves nothing behind.</summary>
    public async Task<ServiceResult<UploadResult>> UploadSourceAsync(Stream content, string kind, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (!UploadInspector.SourceKinds.Contains(kind))
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, $"unknown upload kind '{kind}'; use 'srpm', 'directory' or '{ImageJobSpec.UploadKind}'");
        }

        if (expectedSha256 is not null && !Sha256Hex.IsValid(expectedSha256))
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, "sha256 must be 64 lower-case hex digits");
        }

        var staged = await store.StageAsync(content, expectedSha256, options.Value.MaxUploadBytes, cancellationToken);
        if (!staged.IsSuccess)
        {
            return ServiceResult<UploadResult>.Fail(staged.Error!.Value, staged.Message!);
        }

        using var blob = staged.Value!;
        if (UploadInspector.FindProblem(kind, blob.Path) is { } problem)
        {
            return ServiceResult<UploadResult>.Fail(ServiceError.Invalid, problem);
        }

        blob.Commit();
        return new UploadResult(blob.Sha256, blob.Size, kind);
    }

    /// <summary>
    /// Queues a build of <paramref name="request"/> for <paramref name="owner"/>; or, when an identical build already
    /// succeeded in the build environment it would run in, finishes it at once with that build's artifacts.
    /// </summary>
    /// <param name="owner">Whose build it is (its share of the queue).</param>
    /// <param name="request">What to build.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <param name="placement">For a build another part submits: its project, the RPMs installed in its build environment,
    /// and the submitter's idempotency key (a build already made with that key is returned, not made again).</param>
    public async Task<ServiceResult<BuildDto>> SubmitAsync(string owner, SubmitBuildRequest request, CancellationToken cancellationToken, BuildPlacement? placement = null)
    {
        var source = request.Source;
        if ((SourceProblem(source) ?? OptionsProblem(request) ?? OriginProblem(placement?.Origin)) is { } problem)
        {
            return ServiceResult<BuildDto>.Fail(ServiceError.Invalid, problem);
        }

        if (placement?.Origin is { } origin && await ByOriginAsync(origin, cancellationToken) is { } earlier)
        {
            return earlier.ToDto();
        }

        string? package = null;
        if (source.Kind == SourceKind.Srpm)
        {
            package = UploadInspector.PackageOf(store.PathOf(source.Blob!));
        }

        var arch = string.IsNullOrWhiteSpace(request.Arch) ? options.Value.DefaultArch : request.Arch.Trim();
        Targets.BuildTarget? target = null;
        if (request.Target is { } targetName)
        {
            target = await targets.FindAsync(targetName.Trim(), cancellationToken);
            if (target is null)
            {
                return ServiceResult<BuildDto>.Fail(ServiceError.Invalid, $"there is no build target '{targetName}'; 'forgeline target list' shows them");
            }

            // A target's roots are of one arch: the build's arch is the target's, and asking for another is a mistake.
            if (!string.IsNullOrWhiteSpace(request.Arch) && request.Arch.Trim() != target.Arch)
            {
                return ServiceResult<BuildDto>.Fail(ServiceError.Invalid,
                    $"target '{target.Name}' builds for {target.Arch}, not {request.Arch.Trim()}; leave --arch out or use a target for {request.Arch.Trim()}");
            }

            arch = target.Arch;
        }

        var labels = StoredLabels.Join(request.Labels);
        var macros = request.Macros is { Count: > 0 } m ? m : null;
        var now = time.GetUtcNow().UtcDateTime;
        var build = new BuildRecord
        {
            State = BuildState.Queued,
            Owner = owner,
            SourceKind = source.Kind,
            SourceBlob = source.Blob,
            SourceFileName = source.FileName is { } name ? Path.GetFileName(name) : null,
            GitUrl = source.Url,
            GitRef = source.Ref,
            SpecPath = source.SpecPath,
            Package = package,
            Arch = arch,
            Priority = request.Priority,
            Labels = labels,
            Macros = macros is null ? null : System.Text.Json.JsonSerializer.Serialize(macros),
            InputDigest = BuildCache.InputDigest(source, arch, labels, macros, placement?.Dependencies, target is null ? null : $"{target.Name}@{target.Digest}"),
            Target = target?.Name,
            ProjectId = placement?.ProjectId,
            Dependencies = placement?.Dependencies is { Count: > 0 } deps ? System.Text.Json.JsonSerializer.Serialize(deps, ForgelineJson.Options) : null,
            Origin = placement?.Origin,
            RootLayer = placement?.RootLayer is { } layer ? System.Text.Json.JsonSerializer.Serialize(layer, ForgelineJson.Options) : null,
            SubmittedAt = now,
            QueuedAt = now,
        };
        build.Record(BuildEventKinds.Queued, now, detail: $"by {owner}, priority {request.Priority.ToApiName()}");
        var firstLine = $"forgeline: build of {source.Describe()} queued for {arch}";
        if (!request.NoCache && await FindCachedAsync(build, cancellationToken) is { } hit)
        {
            firstLine = $"forgeline: inputs identical to build {hit.Id} (environment {hit.Environment}); its artifacts are reused, nothing was rebuilt";
            await ReuseAsync(build, hit, firstLine, now, cancellationToken);
        }

        db.Builds.Add(build);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (placement?.Origin is { } taken)
        {
            // Another replica submitted the same origin between our look and our insert: its build is the one.
            Forget(build);
            return (await ByOriginAsync(taken, cancellationToken))?.ToDto() ?? throw new InvalidOperationException($"a build with origin '{taken}' could be neither saved nor found");
        }

        if (build.State == BuildState.Queued)
        {
            logs.Reset(build.Id, $"forgeline: build {build.Id} of {source.Describe()} queued for {arch}" + (target is null ? "" : $" in a clean root of target {target.Name}"));
            await events.QueuedAsync(QueueBook.Entry(build), cancellationToken);
            LogSubmitted(build.Id, owner, source.Kind.ToString());
        }
        else
        {
            LogCached(build.Id, owner, build.CachedFromId!.Value);
        }

        return build.ToDto();
    }

    /// <summary>The builds among <paramref name="ids"/> that have reached a final state (succeeded, failed, canceled).</summary>
    public async Task<List<EndedBuild>> EndedAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        await db.Builds.AsNoTracking()
            .Where(b => ids.Contains(b.Id) && (b.State == BuildState.Succeeded || b.State == BuildState.Failed || b.State == BuildState.Canceled))
            .OrderBy(b => b.Id).Select(b => new EndedBuild(b.Id, b.State, b.Reason)).ToListAsync(cancellationToken);

    /// <summary>The ids among <paramref name="ids"/> of builds that do not exist (deleted, or never made).</summary>
    public async Task<List<long>> MissingAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var found = await db.Builds.AsNoTracking().Where(b => ids.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
        return ids.Except(found).ToList();
    }

    /// <summary>The artifacts of kind <paramref name="kind"/> (e.g. <c>rpm</c>) a build produced, by name.</summary>
    public async Task<List<ArtifactRecord>> ArtifactsAsync(long buildId, string kind, CancellationToken cancellationToken) =>
        await db.Artifacts.AsNoTracking().Where(a => a.BuildId == buildId && a.Kind == kind).OrderBy(a => a.Name).ToListAsync(cancellationToken);

    private Task<BuildRecord?> ByOriginAsync(string origin, CancellationToken cancellationToken) =>
        db.Builds.AsNoTracking().Include(b => b.Artifacts).FirstOrDefaultAsync(b => b.Origin == origin, cancellationToken);

    // Only what this submission added: the caller's own tracked records in the shared context are left alone.
    private void Forget(BuildRecord build)
    {
        foreach (var child in build.Events.Cast<object>().Concat(build.Artifacts).ToList())
        {
            db.Entry(child).State = EntityState.Detached;
        }

        db.Entry(build).State = EntityState.Detached;
    }

    private static string? OriginProblem(string? origin) => origin switch
    {
        null => null,
        { Length: 0 or > BuildPlacement.MaxOriginLength } => $"origin must be 1 to {BuildPlacement.MaxOriginLength} characters",
        _ when origin.Any(char.IsControl) => "origin must not contain control characters",
        _ => null,
    };

    private async Task<BuildRecord?> FindCachedAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        if (build.InputDigest is not { } digest || await cache.CurrentEnvironmentAsync(build.Arch, build.Labels, cancellationToken, build.Target is not null) is not { } environment)
        {
            return null;
        }

        var hit = await cache.FindAsync(digest, environment, cancellationToken);
        // Artifacts pruned from the store since: build again rather than hand out a build that cannot be downloaded.
        return hit is not null && hit.Artifacts.All(a => store.Contains(a.Sha256)) ? hit : null;
    }

    // The build ends at once: the earlier build's packages, and a log of its own that says where they came from.
    private async Task ReuseAsync(BuildRecord build, BuildRecord hit, string logLine, DateTime now, CancellationToken cancellationToken)
    {
        build.State = BuildState.Succeeded;
        build.CachedFromId = hit.Id;
        // The packages were made in that build's root: its report goes with them (its package list is among the artifacts).
        build.RootReport = hit.RootReport;
        build.Environment = hit.Environment;
        build.Package = hit.Package ?? build.Package;
        build.StartedAt = build.FinishedAt = now;
        foreach (var artifact in hit.Artifacts.Where(a => a.Kind != "log"))
        {
            build.Artifacts.Add(new ArtifactRecord { Name = artifact.Name, Kind = artifact.Kind, Sha256 = artifact.Sha256, Size = artifact.Size });
        }

        var (sha256, size) = await store.PutBytesAsync(System.Text.Encoding.UTF8.GetBytes(logLine + "\n"), cancellationToken);
        build.Artifacts.Add(new ArtifactRecord { Name = "build.log", Kind = "log", Sha256 = sha256, Size = size });
        build.Record(BuildEventKinds.Finished, now, detail: $"cached from build {hit.Id}");
    }

    private static string? OptionsProblem(SubmitBuildRequest request)
    {
        if (!Enum.IsDefined(request.Priority))
        {
            return "priority must be high, normal or low";
        }

        foreach (var label in request.Labels ?? [])
        {
            // The rule workers' labels follow; matching is case-insensitive, so "KVM" asks for "kvm".
            if (!Core.Workers.WorkerLabel.IsValid(label.Trim().ToLowerInvariant()))
            {
                return $"label '{label}' is not valid: use {Core.Workers.WorkerLabel.Rule}";
            }
        }

        return request.Macros is { } macros ? BuildMacros.FindProblem(macros) : null;
    }

    /// <summary>One build with its artifacts.</summary>
    public async Task<ServiceResult<BuildDto>> GetAsync(long id, CancellationToken cancellationToken)
    {
        var build = await db.Builds.AsNoTracking().Include(b => b.Artifacts).FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        return build is null ? NotFound(id) : build.ToDto();
    }

    /// <summary>A build's history, oldest first.</summary>
    public async Task<ServiceResult<List<BuildEventDto>>> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        if (!await db.Builds.AnyAsync(b => b.Id == id, cancellationToken))
        {
            return ServiceResult<List<BuildEventDto>>.Fail(ServiceError.NotFound, NotFound(id).Message!);
        }

        var events = await db.BuildEvents.AsNoTracking().Where(e => e.BuildId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return events.Select(e => new BuildEventDto(new DateTimeOffset(e.At), e.Kind, e.State.ToLowerInvariant(), e.Worker, e.Detail)).ToList();
    }

    /// <summary>Builds, newest first, in pages of <paramref name="limit"/> before id <paramref name="before"/>.</summary>
    /// <remarks>Builds of <paramref name="hiddenProjects"/> (private projects the viewer may not see) are left out.</remarks>
    public async Task<ServiceResult<BuildPage>> ListAsync(string? state, int limit, long? before, CancellationToken cancellationToken, IReadOnlyList<long>? hiddenProjects = null)
    {
        var query = db.Builds.AsNoTracking().Include(b => b.Artifacts).AsQueryable();
        if (hiddenProjects is { Count: > 0 } hidden)
        {
            var ids = hidden.ToList();
            query = query.Where(x => x.ProjectId == null || !ids.Contains(x.ProjectId.Value));
        }

        if (state is { Length: > 0 })
        {
            if (!Enum.TryParse<BuildState>(state, ignoreCase: true, out var wanted))
            {
                return ServiceResult<BuildPage>.Fail(ServiceError.Invalid, $"unknown state '{state}'; use queued, running, succeeded, failed or canceled");
            }

            query = query.Where(b => b.State == wanted);
        }

        if (before is { } b)
        {
            query = query.Where(x => x.Id < b);
        }

        limit = Math.Clamp(limit, 1, 500);
        var items = await query.OrderByDescending(x => x.Id).Take(limit + 1).AsSplitQuery().ToListAsync(cancellationToken);
        var next = items.Count > limit ? items[limit - 1].Id : (long?)null;
        return new BuildPage(items.Take(limit).Select(x => x.ToDto()).ToList(), next);
    }

    /// <summary>
    /// Cancels a queued build at once, or asks the worker of a running one to stop (it learns within a heartbeat).
    /// With <paramref name="owner"/> set (not an admin), only that owner's builds may be canceled.
    /// </summary>
    public async Task<ServiceResult<BuildDto>> CancelAsync(long id, string who, string? owner, CancellationToken cancellationToken)
    {
        if (owner is not null && await db.Builds.AsNoTracking().Where(b => b.Id == id).Select(b => b.Owner).FirstOrDefaultAsync(cancellationToken) is { } buildOwner && buildOwner != owner)
        {
            return ServiceResult<BuildDto>.Fail(ServiceError.Forbidden, $"build {id} belongs to {buildOwner}; only its owner or an admin may cancel it");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var reason = $"canceled by {who}";
        int queued;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            queued = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Queued).ExecuteUpdateAsync(
                s => s.SetProperty(b => b.State, BuildState.Canceled).SetProperty(b => b.FinishedAt, now).SetProperty(b => b.Reason, reason),
                cancellationToken);
            if (queued == 1)
            {
                BuildHistory.Record(db, id, BuildEventKinds.Finished, BuildState.Canceled, now, detail: reason);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (queued == 1)
        {
            await events.RemovedAsync(id, cancellationToken);
        }
        else
        {
            var running = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Running).ExecuteUpdateAsync(
                s => s.SetProperty(b => b.CancelRequested, true).SetProperty(b => b.Reason, reason), cancellationToken);
            if (running == 0)
            {
                var build = await db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
                return build is null
                    ? NotFound(id)
                    : ServiceResult<BuildDto>.Fail(ServiceError.Conflict, $"build {id} has already ended ({build.State.ToApiName()}); nothing to cancel");
            }

            await events.ChangedAsync(id, cancellationToken);
        }

        LogCanceled(id, who);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Opens a stored artifact of a build; null values when the build or file is unknown.</summary>
    public async Task<(ArtifactRecord? Artifact, Stream? Content)> OpenArtifactAsync(long id, string name, CancellationToken cancellationToken)
    {
        var artifact = await db.Artifacts.AsNoTracking().FirstOrDefaultAsync(a => a.BuildId == id && a.Name == name, cancellationToken);
        return artifact is null ? (null, null) : (artifact, store.OpenRead(artifact.Sha256));
    }

    /// <summary>What is wrong with <paramref name="source"/> (a missing upload, a bad git URL or ref, a spec path outside it), or null.</summary>
    public string? SourceProblem(BuildSource source)
    {
        if (source.SpecPath is { } spec && (spec.StartsWith('/') || spec.Split('/').Contains("..") || !spec.EndsWith(".spec", StringComparison.Ordinal)))
        {
            return $"spec path '{spec}' must be a relative path to a .spec file inside the sources";
        }

        switch (source.Kind)
        {
            case SourceKind.Srpm or SourceKind.Directory:
                if (!Sha256Hex.IsValid(source.Blob))
                {
                    return "source.blob must be the sha256 of an upload (POST /api/v1/uploads first)";
                }

                if (!store.Contains(source.Blob!))
                {
                    return $"no upload with sha256 {source.Blob}; upload the file first";
                }

                return UploadInspector.FindProblem(source.Kind == SourceKind.Srpm ? "srpm" : "directory", store.PathOf(source.Blob!));
            case SourceKind.Git:
                if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || !GitSchemes.Contains(url.Scheme))
                {
                    return $"'{source.Url}' is not a git URL this server clones; use https://, http://, git:// or ssh://";
                }

                if (source.Ref is { } gitRef && (gitRef.StartsWith('-') || gitRef.Any(char.IsWhiteSpace) || gitRef.Contains("..", StringComparison.Ordinal)))
                {
                    return $"'{gitRef}' is not a valid git ref";
                }

                return null;
            case SourceKind.Image:
                return Sha256Hex.IsValid(source.Blob) && store.Contains(source.Blob!)
                    ? UploadInspector.FindProblem(ImageJobSpec.UploadKind, store.PathOf(source.Blob!))
                    : "an image job's source.blob must be the sha256 of its uploaded spec (POST /api/v1/uploads?kind=image-job)";
            default:
                return $"unknown source kind '{source.Kind}'";
        }
    }

    private static ServiceResult<BuildDto> NotFound(long id) =>
        ServiceResult<BuildDto>.Fail(ServiceError.NotFound, $"there is no build {id}; 'forgeline builds list' shows the builds");

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} submitted by {Owner} from {SourceKind}")]
    private partial void LogSubmitted(long buildId, string owner, string sourceKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} submitted by {Owner}: cached from build {CachedFrom}")]
    private partial void LogCached(long buildId, string owner, long cachedFrom);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} canceled by {Who}")]
    private partial void LogCanceled(long buildId, string who);
}

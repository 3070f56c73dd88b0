using Forgeline.Core;
using System.Security.Cryptography;
using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Builds.Scheduling;
using Forgeline.Core.Builds;
using Forgeline.Core.Images;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>
/// The worker side of the farm. A worker leases a job, renews the lease with heartbeats, appends its log, uploads
/// artifacts and completes the job; every call names the lease, and only the current lease holder is heard, so a
/// build whose worker was lost and replaced can never be completed twice.
/// </summary>
public sealed partial class JobService(
    ForgelineDbContext db,
    ArtifactStore store,
    BuildLogStore logs,
    QueueSignal queueSignal,
    QueueBook book,
    FarmEvents events,
    LeaseRecovery recovery,
    BuildMetrics metrics,
    Targets.TargetService targets,
    IOptions<BuildsOptions> options,
    TimeProvider time,
    ILogger<JobService> logger)
{
    // Fallbacks tried when another scheduler replica claimed the chosen build first.
    private const int Candidates = 4;

    private BuildsOptions Options => options.Value;

    /// <summary>Hands the worker the build the fair scheduler picks for it, waiting up to the request's wait time for one.</summary>
    public async Task<JobLease?> LeaseAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(request.WaitSeconds, 0, 60));
        var labels = StoredLabels.Join(request.Labels);
        await TouchWorkerAsync(request, labels, cancellationToken);
        var offer = new WorkerOffer(request.Arch, StoredLabels.Split(labels).ToHashSet(StringComparer.Ordinal), request.BuildRoots);
        while (true)
        {
            var wake = queueSignal.WaitAsync();
            // Read each time: an admin may drain or disable the worker while its request waits.
            var admin = await db.Workers.AsNoTracking().Where(w => w.Name == request.Worker).Select(w => w.Admin).FirstOrDefaultAsync(cancellationToken);
            if (admin == WorkerAdmin.Enabled && await TryClaimAsync(request, offer, cancellationToken) is { } lease)
            {
                return lease;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            // Woken by a submit in this process; the periodic re-check covers submits to another server replica and
            // builds whose retry backoff ends.
            var recheck = left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            await Task.WhenAny(wake, Task.Delay(recheck, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task<JobLease?> TryClaimAsync(LeaseRequest request, WorkerOffer offer, CancellationToken cancellationToken)
    {
        await book.RefreshAsync(db, cancellationToken);
        // Every failed claim drops a stale entry from the book, so this ends; the cap only bounds a pathological race.
        for (var round = 0; round < 50; round++)
        {
            var candidates = book.Candidates(offer, Candidates);
            if (candidates.Count == 0)
            {
                return null;
            }

            foreach (var candidate in candidates)
            {
                if (await ClaimAsync(candidate.Id, request, cancellationToken) is { } lease)
                {
                    await events.StartedAsync(candidate.Id, candidate.Owner, cancellationToken);
                    return lease;
                }

                // Claimed by another replica, or canceled: either way no longer queued.
                book.Removed(candidate.Id);
            }
        }

        return null;
    }

    private async Task<JobLease?> ClaimAsync(long id, LeaseRequest request, CancellationToken cancellationToken)
    {
        var (target, gone) = await TargetOfQueuedAsync(id, cancellationToken);
        if (gone)
        {
            return null;
        }

        var leaseId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now.AddSeconds(Options.LeaseSeconds);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsPostgres())
        {
            // Several scheduler replicas: a row another one is claiming is skipped at once instead of waited for.
            var free = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM builds WHERE "Id" = {id} AND "State" = 'Queued' FOR UPDATE SKIP LOCKED""")
                .ToListAsync(cancellationToken);
            if (free.Count == 0)
            {
                return null;
            }
        }

        // The state check in the WHERE makes the claim atomic: of two workers racing for a build, one updates a row.
        var claimed = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.State, BuildState.Running)
            .SetProperty(b => b.LeaseId, leaseId)
            .SetProperty(b => b.LeaseExpiresAt, expires)
            .SetProperty(b => b.WorkerName, request.Worker)
            .SetProperty(b => b.Environment, request.Environment)
            .SetProperty(b => b.StartedAt, now)
            .SetProperty(b => b.NotBefore, (DateTime?)null)
            .SetProperty(b => b.Attempt, b => b.Attempt + 1), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        await db.Artifacts.Where(a => a.BuildId == id).ExecuteDeleteAsync(cancellationToken);
        var build = await db.Builds.AsNoTracking().FirstAsync(b => b.Id == id, cancellationToken);
        BuildHistory.Record(db, id, BuildEventKinds.Started, BuildState.Running, now, request.Worker, $"attempt {build.Attempt}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logs.Reset(id, firstLine: null);
        LogLeased(id, request.Worker, build.Attempt);
        var (macros, root) = RootOf(build, target);
        return new JobLease(id, leaseId, build.Attempt, build.Source, build.Arch, Options.TimeoutSeconds, Options.LogLimitBytes, Options.LeaseSeconds,
            macros, BuildMapper.DependenciesOf(build), JobLease.CompleteCarriesMore, root);
    }

    /// <summary>Renews a lease and says whether the user asked to cancel.</summary>
    public async Task<ServiceResult<HeartbeatResult>> HeartbeatAsync(string leaseId, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow().UtcDateTime.AddSeconds(Options.LeaseSeconds);
        var renewed = await db.Builds.Where(b => b.LeaseId == leaseId && b.State == BuildState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.LeaseExpiresAt, expires), cancellationToken);
        if (renewed == 0)
        {
            return LeaseLost<HeartbeatResult>();
        }

        var build = await db.Builds.AsNoTracking().Where(b => b.LeaseId == leaseId).Select(b => new { b.CancelRequested, b.WorkerName }).FirstAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.Workers.Where(w => w.Name == build.WorkerName).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastSeenAt, now), cancellationToken);
        return new HeartbeatResult(build.CancelRequested, new DateTimeOffset(expires));
    }

    /// <summary>Appends log bytes of a leased job.</summary>
    public async Task<ServiceResult<long>> AppendLogAsync(string leaseId, long offset, byte[] bytes, CancellationToken cancellationToken)
    {
        if (await FindLeasedAsync(leaseId, cancellationToken) is not { } build)
        {
            return LeaseLost<long>();
        }

        // A little slack over the worker's own limit, so the worker, not the server, reports the overflow.
        var appended = logs.Append(build.Id, offset, bytes, Options.LogLimitBytes + 64 * 1024);
        if (appended.IsSuccess)
        {
            await events.LogAppendedAsync(build.Id, cancellationToken);
        }

        return appended;
    }

    /// <summary>Stores an artifact uploaded by the lease holder after checking its digest and format.</summary>
    public async Task<ServiceResult<ArtifactRecord>> PutArtifactAsync(string leaseId, string name, string kind, string sha256, Stream content, CancellationToken cancellationToken)
    {
        if (!UploadInspector.ArtifactKinds.Contains(kind))
        {
            return ServiceResult<ArtifactRecord>.Fail(ServiceError.Invalid, $"unknown artifact kind '{kind}'; use {string.Join(", ", UploadInspector.ArtifactKinds.Order(StringComparer.Ordinal))}");
        }

        if (UploadInspector.FileNameProblem(name, kind) is { } nameProblem)
        {
            return ServiceResult<ArtifactRecord>.Fail(ServiceError.Invalid, nameProblem);
        }

        if (await FindLeasedAsync(leaseId, cancellationToken) is not { } build)
        {
            return LeaseLost<ArtifactRecord>();
        }

        var limit = kind == JobRootReport.PackagesArtifactKind ? UploadInspector.MaxRootPackagesBytes : Options.MaxUploadBytes;
        var staged = await store.StageAsync(content, sha256, limit, cancellationToken);
        if (!staged.IsSuccess)
        {
            return ServiceResult<ArtifactRecord>.Fail(staged.Error!.Value, staged.Message!);
        }

        using var blob = staged.Value!;
        if (UploadInspector.FindProblem(kind, blob.Path) is { } problem)
        {
            return ServiceResult<ArtifactRecord>.Fail(ServiceError.Invalid, $"{name}: {problem}");
        }

        blob.Commit();
        await db.Artifacts.Where(a => a.BuildId == build.Id && a.Name == name).ExecuteDeleteAsync(cancellationToken);
        var artifact = new ArtifactRecord { BuildId = build.Id, Name = name, Kind = kind, Sha256 = blob.Sha256, Size = blob.Size };
        db.Artifacts.Add(artifact);
        await db.SaveChangesAsync(cancellationToken);
        return artifact;
    }

    /// <summary>Ends a job with the worker's outcome; the build log is stored as an artifact.</summary>
    public async Task<ServiceResult<BuildState>> CompleteAsync(string leaseId, CompleteJobRequest request, CancellationToken cancellationToken)
    {
        if (await FindLeasedAsync(leaseId, cancellationToken) is not { } build)
        {
            return LeaseLost<BuildState>();
        }

        if (await TakeCompletionExtrasAsync(build, request, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (request.Outcome == JobOutcome.Error)
        {
            // Not the package's fault: another attempt, after a backoff, on whichever worker comes next.
            var lost = new LeaseRecovery.LostLease(build.Id, leaseId, build.Attempt, build.WorkerName, build.CancelRequested, build.Owner) { StartedAt = build.StartedAt };
            var why = $"worker {build.WorkerName} failed: {request.Reason ?? "no reason given"}";
            return await recovery.TakeBackAsync(lost, why, LeaseRecovery.Mode.Retry, time.GetUtcNow().UtcDateTime, cancellationToken) is { } next
                ? next
                : LeaseLost<BuildState>();
        }

        // A package build yields RPMs; an image build its image files; a VM job may yield nothing but its log.
        var (expected, expectedName) = build.SourceKind == SourceKind.Image ? (ImageArtifacts.Image, "image files") : ("rpm", "RPMs");
        var hasResults = build.SourceKind == SourceKind.Image && !await IsImageBuildAsync(build, cancellationToken)
            || await db.Artifacts.AnyAsync(a => a.BuildId == build.Id && a.Kind == expected, cancellationToken);
        var (state, reason) = request.Outcome switch
        {
            JobOutcome.Succeeded when !hasResults => (BuildState.Failed, $"the worker reported success but uploaded no {expectedName}"),
            JobOutcome.Succeeded => (BuildState.Succeeded, (string?)null),
            JobOutcome.Canceled => (BuildState.Canceled, build.Reason ?? "canceled"),
            _ => (BuildState.Failed, request.Reason ?? "the build failed"),
        };
        return await FinishAsync(build, leaseId, state, reason, request.Package, cancellationToken) ? state : LeaseLost<BuildState>();
    }

    /// <summary>Whether an image job builds an image (rather than running a VM job): its spec, from the store.</summary>
    private async Task<bool> IsImageBuildAsync(BuildRecord build, CancellationToken cancellationToken)
    {
        var json = await File.ReadAllBytesAsync(store.PathOf(build.SourceBlob!), cancellationToken);
        return ImageJobSpec.Parse(json, out _)?.Build is not null;
    }

    /// <summary>Takes a job back from a worker that is shutting down; it is queued again without counting an attempt.</summary>
    public async Task<ServiceResult<BuildState>> ReleaseAsync(string leaseId, CancellationToken cancellationToken)
    {
        if (await FindLeasedAsync(leaseId, cancellationToken) is not { } build)
        {
            return LeaseLost<BuildState>();
        }

        var lost = new LeaseRecovery.LostLease(build.Id, leaseId, build.Attempt, build.WorkerName, build.CancelRequested, build.Owner);
        return await recovery.TakeBackAsync(lost, $"worker {build.WorkerName} is shutting down", LeaseRecovery.Mode.HandBack, time.GetUtcNow().UtcDateTime, cancellationToken) is { } state
            ? state
            : LeaseLost<BuildState>();
    }

    /// <summary>Moves a build to a final state if <paramref name="leaseId"/> still holds it; false when it does not.</summary>
    internal async Task<bool> FinishAsync(BuildRecord build, string leaseId, BuildState state, string? reason, string? package, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The log goes into the content-addressed store first (harmless if unused); the state change and the log
        // artifact then commit together, so nobody ever sees a finished build without its log.
        var logPath = logs.PathOf(build.Id);
        (string Sha256, long Size)? log = File.Exists(logPath) ? await store.PutFileAsync(logPath, cancellationToken) : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var finished = await db.Builds.Where(b => b.Id == build.Id && b.LeaseId == leaseId && b.State == BuildState.Running).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.State, state)
            .SetProperty(b => b.Reason, reason)
            .SetProperty(b => b.Package, b => package ?? b.Package)
            .SetProperty(b => b.FinishedAt, now)
            .SetProperty(b => b.LeaseId, (string?)null)
            .SetProperty(b => b.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (finished == 0)
        {
            return false;
        }

        if (log is { } blob)
        {
            await db.Artifacts.Where(a => a.BuildId == build.Id && a.Name == "build.log").ExecuteDeleteAsync(cancellationToken);
            db.Artifacts.Add(new ArtifactRecord { BuildId = build.Id, Name = "build.log", Kind = "log", Sha256 = blob.Sha256, Size = blob.Size });
        }

        BuildHistory.Record(db, build.Id, BuildEventKinds.Finished, state, now, build.WorkerName, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await events.EndedAsync(build.Id, build.Owner, cancellationToken);
        if (build.StartedAt is { } started)
        {
            metrics.RecordFinished(state, (now - started).TotalSeconds);
        }

        LogFinished(build.Id, state.ToApiName(), reason);
        return true;
    }

    private Task<BuildRecord?> FindLeasedAsync(string leaseId, CancellationToken cancellationToken) =>
        db.Builds.AsNoTracking().FirstOrDefaultAsync(b => b.LeaseId == leaseId && b.State == BuildState.Running, cancellationToken);

    // Records the worker's contact and what it offers.
    private async Task TouchWorkerAsync(LeaseRequest request, string labels, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var updated = await db.Workers.Where(w => w.Name == request.Worker).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.LastSeenAt, now).SetProperty(w => w.Arch, request.Arch).SetProperty(w => w.Slots, request.Slots)
            .SetProperty(w => w.Labels, labels).SetProperty(w => w.Environment, request.Environment).SetProperty(w => w.BuildRoots, request.BuildRoots), cancellationToken);
        if (updated == 0)
        {
            // The first contact of a new worker; its other slots may ask at the same moment. Whichever row lands
            // first stays, without an exception (and an error in the log) for the expected race.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO workers ("Name", "Arch", "Slots", "Labels", "Environment", "BuildRoots", "RegisteredAt", "LastSeenAt", "Session", "Admin")
                VALUES ({request.Worker}, {request.Arch}, {request.Slots}, {labels}, {request.Environment}, {request.BuildRoots}, {now}, {now}, {request.Session}, {WorkerAdmin.Enabled})
                ON CONFLICT ("Name") DO NOTHING
                """, cancellationToken);
            return;
        }

        if (request.Session is { Length: > 0 } session)
        {
            // One slot of a restarted worker wins this update and takes back what the old process held; the builds it
            // held can never be completed by it, so waiting for their leases to lapse would only delay them.
            var restarted = await db.Workers.Where(w => w.Name == request.Worker && w.Session != session)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Session, session), cancellationToken);
            if (restarted == 1)
            {
                foreach (var orphan in await recovery.FindAsync(b => b.WorkerName == request.Worker && b.StartedAt < now, cancellationToken))
                {
                    var why = $"worker {request.Worker} restarted during attempt {orphan.Attempt}";
                    if (await recovery.TakeBackAsync(orphan, why, LeaseRecovery.Mode.Restarted, now, cancellationToken) is { } state)
                    {
                        LogTakenBack(orphan.Id, request.Worker, state.ToApiName());
                    }
                }
            }
        }
    }

    private static ServiceResult<T> LeaseLost<T>() =>
        ServiceResult<T>.Fail(ServiceError.Conflict, "this lease is no longer valid: the job was finished, canceled or handed to another worker");

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} leased to {Worker}, attempt {Attempt}")]
    private partial void LogLeased(long buildId, string worker, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: worker {Worker} restarted; now {State}")]
    private partial void LogTakenBack(long buildId, string worker, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} finished: {State} {Reason}")]
    private partial void LogFinished(long buildId, string state, string? reason);
}

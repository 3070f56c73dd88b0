using System.Text.Json;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Projects;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Rpm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>
/// One look at every running batch, driven only by what the database says, so it may run again at any time (after a
/// crash, on another replica) and do the right thing: ended builds are signed and recorded in their repository, waiting
/// packages whose dependencies are signed and recorded are submitted (without waiting for the publication), changed
/// repositories are published, and packages whose dependencies failed are marked blocked.
/// </summary>
public sealed partial class CoordinatorPass(
    ForgelineDbContext db,
    BuildService builds,
    Builds.Targets.TargetService targets,
    ProjectSigner signer,
    ProjectRepositories repositories,
    Core.Signing.ISigningBackend keys,
    IOptions<ProjectsOptions> options,
    TimeProvider time,
    ILogger<CoordinatorPass> logger)
{
    private static readonly BatchEntryState[] Broken = [BatchEntryState.Failed, BatchEntryState.Blocked, BatchEntryState.Canceled];

    /// <summary>Runs the pass; true when it changed anything (another pass may find more to do).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var progressed = await AcceptEndedBuildsAsync(cancellationToken);
        // Dependents go before publication: their builds get the signed RPMs by digest, not from the published
        // repository, so createrepo_c need not stand between a dependency and its dependents.
        progressed |= await StartReadyAsync(cancellationToken);
        progressed |= await PublishChangedAsync(cancellationToken);
        await FinishBatchesAsync(cancellationToken);
        return progressed;
    }

    // The farm tells (FarmEvents.BuildFinished wakes the coordinator); this asks it, through its service, which of the
    // builds the batches wait for have ended. Nothing here joins the farm's tables.
    private async Task<bool> AcceptEndedBuildsAsync(CancellationToken cancellationToken)
    {
        var building = await db.BatchEntries.Where(e => e.State == BatchEntryState.Building && e.BuildId != null).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        if (building.Count == 0)
        {
            return false;
        }

        var ended = (await builds.EndedAsync(building.Select(e => e.BuildId!.Value).ToList(), cancellationToken)).ToDictionary(b => b.Id);
        var progressed = false;
        foreach (var entry in building)
        {
            if (!ended.TryGetValue(entry.BuildId!.Value, out var build))
            {
                continue;
            }

            progressed = true;
            entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
            if (build.State == BuildState.Succeeded)
            {
                await AcceptAsync(entry, build.Id, cancellationToken);
            }
            else
            {
                entry.State = build.State == BuildState.Canceled ? BatchEntryState.Canceled : BatchEntryState.Failed;
                entry.Reason = $"build {build.Id} {build.State.ToApiName()}: {build.Reason ?? "no reason given"}";
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return progressed;
    }

    // Signs the build's RPMs and records them as content of the chroot's repository, in one transaction.
    private async Task AcceptAsync(BatchEntryRecord entry, long buildId, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().FirstAsync(p => p.Id == entry.ProjectId, cancellationToken);
        var rpms = await builds.ArtifactsAsync(buildId, "rpm", cancellationToken);
        var signed = await signer.SignRpmsAsync(project, rpms, cancellationToken);
        if (!signed.IsSuccess)
        {
            entry.State = BatchEntryState.Failed;
            entry.Reason = signed.Message;
            await db.SaveChangesAsync(cancellationToken);
            LogNotPublished(entry.Package, project.Name, signed.Message!);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var names = signed.Value!.Select(s => s.Artifact.Name).ToList();
        // A rebuild with the same version-release replaces the earlier file of that name.
        await db.RepositoryPackages.Where(r => r.ProjectId == project.Id && r.Chroot == entry.Chroot && names.Contains(r.FileName)).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var rpm in signed.Value!)
        {
            db.RepositoryPackages.Add(new RepositoryPackageRecord
            {
                ProjectId = project.Id, Chroot = entry.Chroot, PackageId = entry.PackageId, BuildId = buildId, FileName = rpm.Artifact.Name,
                Sha256 = rpm.Sha256, UnsignedSha256 = rpm.Artifact.Sha256, Size = rpm.Size, AddedAt = now,
            });
        }

        if (await db.ProjectPackages.FirstOrDefaultAsync(p => p.Id == entry.PackageId, cancellationToken) is { } package)
        {
            // From now on the real headers say what the package provides, not its spec.
            package.BuiltProvides = JsonSerializer.Serialize(signed.Value!.SelectMany(s => HeaderCapabilities.Provides(s.Header)).Select(c => c.ToString()).Distinct().Order(StringComparer.Ordinal).ToList());
        }

        entry.State = BatchEntryState.Publishing;
        entry.Reason = null;
        await RepositoryContent.ChangedAsync(db, project.Id, [entry.Chroot], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<bool> PublishChangedAsync(CancellationToken cancellationToken)
    {
        // A new project (or chroot) gets its empty repository too, so dnf can be pointed at it from the start.
        var projects = await db.Projects.AsNoTracking().ToListAsync(cancellationToken);
        var rows = await db.Repositories.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var project in projects)
        {
            var absent = project.ChrootList.Where(c => !rows.Any(r => r.ProjectId == project.Id && r.Chroot == c)).ToList();
            if (absent.Count > 0)
            {
                await RepositoryContent.ChangedAsync(db, project.Id, absent, cancellationToken);
            }
        }

        var stale = await db.Repositories.Where(r => r.ContentVersion > r.PublishedVersion).ToListAsync(cancellationToken);
        foreach (var repository in stale)
        {
            if (projects.FirstOrDefault(p => p.Id == repository.ProjectId) is { } project)
            {
                await PublishAsync(project, repository, cancellationToken);
            }
        }

        return stale.Count > 0;
    }

    private async Task PublishAsync(ProjectRecord project, RepositoryRecord repository, CancellationToken cancellationToken)
    {
        var version = repository.ContentVersion;
        var content = await RepositoryContent.PruneAsync(db, project.Id, repository.Chroot, project.KeepBuilds, cancellationToken);
        var result = await repositories.PublishAsync(project, repository.Chroot, content, cancellationToken);
        if (!result.IsSuccess)
        {
            LogPublishFailed(project.Name, repository.Chroot, result.Message!);
            await db.BatchEntries.Where(e => e.ProjectId == project.Id && e.Chroot == repository.Chroot && e.State == BatchEntryState.Publishing)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Reason, $"publication failed, retrying: {result.Message}"), cancellationToken);
            return;
        }

        var published = result.Value!;
        repository.PublishedVersion = version;
        repository.Generation = published.Generation;
        repository.Packages = content.Count;
        repository.PublishedAt = time.GetUtcNow().UtcDateTime;
        repository.RepomdSha256 = published.RepomdSha256;
        // Only this pass moves entries to Publishing, and it did so before publishing: all of them are in what was published.
        var publishing = await db.BatchEntries.Where(e => e.ProjectId == project.Id && e.Chroot == repository.Chroot && e.State == BatchEntryState.Publishing).ToListAsync(cancellationToken);
        foreach (var entry in publishing)
        {
            entry.State = BatchEntryState.Succeeded;
            entry.Reason = null;
            entry.UpdatedAt = repository.PublishedAt.Value;
        }

        EventOutbox.Add(db, EventTypes.RepositoryPublished, EventOutbox.RepositoriesSource, $"repositories/{project.Name}/{repository.Chroot}", project.Owner, project.IsPublic,
            new RepositoryPublishedData(project.Name, repository.Chroot, published.Generation, content.Count, published.RepomdSha256, $"/repos/{project.Name}/{repository.Chroot}/"),
            repository.PublishedAt.Value);
        await db.SaveChangesAsync(cancellationToken);
        LogPublished(project.Name, repository.Chroot, content.Count, published.Generation);
    }

    private async Task<bool> StartReadyAsync(CancellationToken cancellationToken)
    {
        var waiting = await db.BatchEntries.Where(e => e.State == BatchEntryState.Waiting).OrderBy(e => e.Level).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return false;
        }

        var ids = waiting.SelectMany(e => e.WaitsForIds).Distinct().ToList();
        var others = await db.BatchEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => new { e.State, e.Package }, cancellationToken);
        var progressed = false;
        foreach (var entry in waiting)
        {
            var needs = entry.WaitsForIds.Select(id => others.GetValueOrDefault(id)).ToList();
            var blocker = needs.FirstOrDefault(n => n is not null && Broken.Contains(n.State));
            if (blocker is not null || needs.Contains(null))
            {
                entry.State = BatchEntryState.Blocked;
                entry.Reason = blocker is null ? "blocked: a package it needs left the batch" : $"blocked by {blocker.Package} ({blocker.State.ToApiName()})";
                entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(cancellationToken);
                progressed = true;
                continue;
            }

            // Publishing: signed and recorded in the repository's content, which is what a dependent's build gets.
            if (needs.Any(n => n!.State is not (BatchEntryState.Succeeded or BatchEntryState.Publishing)) || !await MissingResolvedAsync(entry, cancellationToken))
            {
                continue;
            }

            await SubmitAsync(entry, cancellationToken);
            progressed = true;
        }

        return progressed;
    }

    // With the "wait" policy: is what nothing provided then provided by a published package of the project now?
    private async Task<bool> MissingResolvedAsync(BatchEntryRecord entry, CancellationToken cancellationToken)
    {
        if (entry.MissingRequirements is null)
        {
            return true;
        }

        var packages = await db.ProjectPackages.AsNoTracking().Where(p => p.ProjectId == entry.ProjectId).ToListAsync(cancellationToken);
        var publishedIds = await db.RepositoryPackages.Where(r => r.ProjectId == entry.ProjectId && r.Chroot == entry.Chroot).Select(r => r.PackageId).Distinct().ToListAsync(cancellationToken);
        var graph = ProjectGraph.Of(packages.Where(p => p.Id == entry.PackageId || publishedIds.Contains(p.Id)).ToList(), options.Value.BuildrootProvides);
        if (graph.MissingOf(entry.Package).Count > 0)
        {
            return false;
        }

        entry.MissingRequirements = null;
        entry.Needs = string.Join(' ', graph.DependsOn(entry.Package).Select(name => packages.First(p => p.Name == name).Id));
        return true;
    }

    private async Task SubmitAsync(BatchEntryRecord entry, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().FirstAsync(p => p.Id == entry.ProjectId, cancellationToken);
        var package = await db.ProjectPackages.AsNoTracking().FirstOrDefaultAsync(p => p.Id == entry.PackageId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (package is null)
        {
            entry.State = BatchEntryState.Canceled;
            entry.Reason = "the package was removed from the project";
            entry.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var source = package.Source;
        if (source.Kind == SourceKind.Git && SpecFactsReader.Parse(package.Facts)?.Commit is { Length: > 0 } commit)
        {
            // The commit whose spec was read and ordered, not whatever the branch points at by the time a worker clones.
            source = source with { Ref = commit };
        }

        var needs = entry.NeedsIds.ToList();
        var rows = await db.RepositoryPackages.AsNoTracking().Where(r => r.ProjectId == project.Id && r.Chroot == entry.Chroot && needs.Contains(r.PackageId)).ToListAsync(cancellationToken);
        var dependencies = rows.GroupBy(r => r.PackageId)
            .SelectMany(g => g.Where(r => r.BuildId == g.Max(x => x.BuildId)))
            .OrderBy(r => r.FileName, StringComparer.Ordinal)
            .Select(r => new JobDependency(r.FileName, r.Sha256)).ToList();
        // A chroot that names a build target builds in the target's clean root, for the target's arch.
        var target = await targets.FindAsync(entry.Chroot, cancellationToken);
        var request = new SubmitBuildRequest(source, target?.Arch ?? ProjectRules.ArchOf(entry.Chroot), Macros: SpecFactsReader.MacrosOf(project), Target: target?.Name);
        // The entry's id is the build's origin: should this process die between the farm's commit and ours below, the
        // next pass submits again and gets the same build back instead of a second one.
        // Without its key the project's repository is left out of the root rather than read unchecked.
        var layer = target is null ? null : await ProjectRootLayer.OfAsync(project.Name, project.SigningKey, entry.Chroot, keys, cancellationToken);
        var placement = new BuildPlacement(project.Id, dependencies, OriginOf(entry), layer);
        var submitted = await builds.SubmitAsync(project.Owner, request, cancellationToken, placement);
        if (!submitted.IsSuccess)
        {
            db.ChangeTracker.Clear();
            await db.BatchEntries.Where(e => e.Id == entry.Id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.State, BatchEntryState.Failed)
                .SetProperty(e => e.Reason, $"could not submit the build: {submitted.Message}")
                .SetProperty(e => e.UpdatedAt, now), cancellationToken);
            return;
        }

        entry.BuildId = submitted.Value!.Id;
        entry.State = BatchEntryState.Building;
        entry.Reason = null;
        entry.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The idempotency key the builds of <paramref name="entry"/> are submitted with.</summary>
    public static string OriginOf(BatchEntryRecord entry) => $"batch-entry/{entry.Id}";

    private async Task FinishBatchesAsync(CancellationToken cancellationToken)
    {
        var open = await db.Batches.Where(b => b.FinishedAt == null && !db.BatchEntries.Any(e => e.BatchId == b.Id
                && (e.State == BatchEntryState.Waiting || e.State == BatchEntryState.Building || e.State == BatchEntryState.Publishing)))
            .ToListAsync(cancellationToken);
        foreach (var batch in open)
        {
            batch.FinishedAt = time.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Package {Package} of project {Project} was not published: {Reason}")]
    private partial void LogNotPublished(string package, string project, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing {Project}/{Chroot} failed; it will be tried again: {Reason}")]
    private partial void LogPublishFailed(string project, string chroot, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Project}/{Chroot}: {Packages} RPMs, generation {Generation}")]
    private partial void LogPublished(string project, string chroot, int packages, long generation);
}

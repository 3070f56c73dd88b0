using System.Text.Json;
using Forgeline.Builds;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Images;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.MessageCenter;
using Forgeline.Projects;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Images.Server;

/// <summary>
/// One pass of the image coordinator, from the database only (a restart loses nothing): starts the plans whose schedule
/// is due and those whose project repository was published (read from the event outbox behind a cursor), submits image
/// builds and VM jobs to the build farm as their inputs become ready, collects what ended (signing each image file with
/// the project's key), skips the jobs whose disk never came, ends runs and reports them to the review bot.
/// </summary>
public sealed class ImageCoordinatorPass(
    ForgelineDbContext db, BuildService builds, ArtifactStore store, ImageJobComposer composer, ImageRuns runs, ProjectService projects, ProjectSigner signer,
    BotReporter reporter, TimeProvider time)
{
    private const string Cursor = "images";
    private static readonly ProjectCaller System = new("images", "images", IsAdmin: true);

    /// <summary>Runs the pass; true when it changed something (another pass may find more to do).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var changed = await StartDueAsync(cancellationToken);
        changed |= await StartPublishedAsync(cancellationToken);
        changed |= await AdvanceBuildsAsync(cancellationToken);
        changed |= await AdvanceRunsAsync(cancellationToken);
        await reporter.ReportAsync(cancellationToken);
        return changed;
    }

    private async Task<bool> StartDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.ImagePlans.Where(p => p.NextRunAt <= now).ToListAsync(cancellationToken);
        foreach (var plan in due)
        {
            var read = ImageQueries.ReadPlan(plan.Yaml);
            plan.NextRunAt = read is null ? DateTime.MaxValue : Plans.TestPlanReader.NextRun(read, now) ?? DateTime.MaxValue;
            await db.SaveChangesAsync(cancellationToken);
            if (read is not null)
            {
                await runs.StartRunAsync(plan, "schedule", $"schedule {read.Schedule}", null, null, cancellationToken);
            }
        }

        return due.Count > 0;
    }

    private async Task<bool> StartPublishedAsync(CancellationToken cancellationToken)
    {
        var cursor = await db.EventCursors.FirstOrDefaultAsync(c => c.Name == Cursor, cancellationToken);
        if (cursor is null)
        {
            // From now on: publications before image CI first ran start nothing.
            db.EventCursors.Add(new EventCursorRecord { Name = Cursor, Position = await OutboxReader.NewestAsync(db, cancellationToken) });
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }

        var events = await OutboxReader.ReadAsync(db, cursor.Position, 200, cancellationToken);
        if (events.Count == 0)
        {
            return false;
        }

        var published = events.Where(e => e.Type == EventTypes.RepositoryPublished)
            .Select(e => JsonSerializer.Deserialize<RepositoryPublishedData>(e.Data, ForgelineJson.Options)?.Project).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (published.Count > 0)
        {
            var definitions = (await db.ImageDefinitions.AsNoTracking().ToListAsync(cancellationToken))
                .Where(d => ReadsFrom(d.Yaml).Overlaps(published)).Select(d => (d.Project, d.Name)).ToHashSet();
            foreach (var plan in await db.ImagePlans.AsNoTracking().ToListAsync(cancellationToken))
            {
                var read = ImageQueries.ReadPlan(plan.Yaml);
                var waiting = await db.ImageRuns.AnyAsync(r => r.Project == plan.Project && r.Plan == plan.Name && r.State == ImageStates.Queued, cancellationToken);
                if (read is not null && read.Triggers.Contains("publication") && definitions.Contains((plan.Project, read.Image)) && !waiting)
                {
                    await runs.StartRunAsync(plan, "publication", $"publication of {string.Join(", ", published.Order(StringComparer.Ordinal))}", null, null, cancellationToken);
                }
            }
        }

        cursor.Position = events[^1].Id;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<bool> AdvanceBuildsAsync(CancellationToken cancellationToken)
    {
        var open = await db.ImageBuilds.Where(b => b.State == ImageStates.Queued || b.State == ImageStates.Building).ToListAsync(cancellationToken);
        var changed = false;
        foreach (var build in open.Where(b => b.BuildId is null))
        {
            var (id, problem) = await composer.SubmitBuildAsync(build, cancellationToken);
            build.BuildId = id;
            build.State = id is null ? ImageStates.Failed : ImageStates.Building;
            build.Reason = problem;
            build.FinishedAt = id is null ? time.GetUtcNow().UtcDateTime : null;
            await db.SaveChangesAsync(cancellationToken);
            changed = true;
        }

        var running = open.Where(b => b is { State: ImageStates.Building, BuildId: not null }).ToDictionary(b => b.BuildId!.Value);
        foreach (var ended in await builds.EndedAsync(running.Keys, cancellationToken))
        {
            var build = running[ended.Id];
            (build.State, build.Reason) = ended.State == BuildState.Succeeded ? await CollectImageAsync(build, cancellationToken) : (ImageStates.Failed, ended.Reason ?? $"the build was {ended.State.ToString().ToLowerInvariant()}");
            build.FinishedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            changed = true;
        }

        return changed;
    }

    // The image files the worker uploaded, each signed with the project's key: nothing is shown of a build whose files were not all signed.
    private async Task<(string State, string? Reason)> CollectImageAsync(ImageBuildRecord build, CancellationToken cancellationToken)
    {
        if (await projects.FindAsync(build.Project, System, cancellationToken) is not { } project)
        {
            return (ImageStates.Failed, $"project '{build.Project}' is gone");
        }

        var files = new List<ImageFileOutput>();
        foreach (var artifact in await builds.ArtifactsAsync(build.BuildId!.Value, ImageArtifacts.Image, cancellationToken))
        {
            try
            {
                var signature = await signer.SignDetachedAsync(project, () => File.OpenRead(store.PathOf(artifact.Sha256)), artifact.Name, cancellationToken);
                files.Add(new ImageFileOutput(ImageArtifacts.FormatOf(artifact.Name) ?? "?", artifact.Name, artifact.Sha256, artifact.Size, signature));
            }
            catch (InvalidOperationException e)
            {
                return (ImageStates.Failed, e.Message);
            }
        }

        if (files.Count == 0)
        {
            return (ImageStates.Failed, "the build made no image files");
        }

        build.Files = JsonSerializer.Serialize(files, ForgelineJson.Options);
        return (ImageStates.Succeeded, null);
    }

    private static HashSet<string> ReadsFrom(string yaml)
    {
        try
        {
            return Definitions.ImageDefinitionReader.Read(yaml, "image").Repositories.Select(r => r.Project).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        catch (Definitions.ImageDefinitionException)
        {
            return [];
        }
    }

    private async Task<bool> AdvanceRunsAsync(CancellationToken cancellationToken)
    {
        var open = await db.ImageRuns.Where(r => r.State == ImageStates.Queued || r.State == ImageStates.Running).ToListAsync(cancellationToken);
        var changed = false;
        foreach (var run in open)
        {
            changed |= await AdvanceRunAsync(run, cancellationToken);
        }

        return changed;
    }

    private async Task<bool> AdvanceRunAsync(ImageRunRecord run, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (run.ImageBuildId is null)
        {
            var plan = ImageQueries.ReadPlan(run.Yaml);
            var build = plan is null ? null : await runs.QueueBuildAsync(run.Project, plan.Image, $"run {run.Id}", cancellationToken);
            run.ImageBuildId = build?.Id;
            run.State = build is null ? ImageStates.Failed : ImageStates.Running;
            run.Reason = build is null ? $"the plan's image {plan?.Image} is not defined in project {run.Project}" : null;
            run.FinishedAt = build is null ? now : null;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        var image = await db.ImageBuilds.AsNoTracking().FirstAsync(b => b.Id == run.ImageBuildId, cancellationToken);
        var jobs = await db.ImageRunJobs.Where(j => j.RunId == run.Id).OrderBy(j => j.Position).ToListAsync(cancellationToken);
        var changed = await CollectJobsAsync(jobs, cancellationToken);
        foreach (var job in jobs.Where(j => j.State == ImageStates.Waiting))
        {
            var (disk, why) = DiskFor(job, image, jobs);
            if (disk is null && why is null)
            {
                continue; // what it boots is not ready yet
            }

            if (disk is not null)
            {
                var (id, problem) = await composer.SubmitJobAsync(run, job, image, disk, cancellationToken);
                (job.BuildId, job.State, job.Reason, job.BaseSha256) = (id, id is null ? ImageStates.Failed : ImageStates.Queued, problem, disk.Sha256);
            }
            else
            {
                (job.State, job.Reason) = (ImageStates.Skipped, why);
            }

            job.FinishedAt = ImageStates.Ended(job.State) ? now : null;
            changed = true;
        }

        if (jobs.All(j => ImageStates.Ended(j.State)))
        {
            run.State = jobs.All(j => j.State == ImageStates.Passed) ? ImageStates.Passed : ImageStates.Failed;
            run.Reason = image.State == ImageStates.Failed ? $"the image did not build: {image.Reason}" : null;
            run.FinishedAt = now;
            changed = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    // The disk a waiting job boots, or why it never will (its source failed); (null, null) while that is not known yet.
    private static (JobDependency? Disk, string? Why) DiskFor(ImageRunJobRecord job, ImageBuildRecord image, List<ImageRunJobRecord> jobs)
    {
        if (job.Boot == "image")
        {
            return image.State switch
            {
                ImageStates.Succeeded when ImageQueries.FilesOf(image).FirstOrDefault(f => f.Format == "qcow2") is { } disk => (new JobDependency(disk.Name, disk.Sha256), null),
                ImageStates.Succeeded => (null, $"image {image.Image} has no qcow2 disk: add qcow2 to its formats"),
                ImageStates.Failed => (null, $"image {image.Image} did not build"),
                _ => (null, null),
            };
        }

        var source = jobs.First(j => j.Name == job.Boot);
        return source.State switch
        {
            ImageStates.Passed when source.DiskSha256 is { } sha => (new JobDependency($"{source.Name}.qcow2", sha), null),
            ImageStates.Passed => (null, $"job {source.Name} published no disk"),
            ImageStates.Failed or ImageStates.Skipped => (null, $"job {source.Name} did not pass"),
            _ => (null, null),
        };
    }

    private async Task<bool> CollectJobsAsync(List<ImageRunJobRecord> jobs, CancellationToken cancellationToken)
    {
        var queued = jobs.Where(j => j is { State: ImageStates.Queued, BuildId: not null }).ToDictionary(j => j.BuildId!.Value);
        var ended = await builds.EndedAsync(queued.Keys, cancellationToken);
        foreach (var result in ended)
        {
            var job = queued[result.Id];
            var farm = (await builds.GetAsync(result.Id, cancellationToken)).Value;
            job.StartedAt = farm?.StartedAt?.UtcDateTime;
            job.FinishedAt = farm?.FinishedAt?.UtcDateTime ?? time.GetUtcNow().UtcDateTime;
            job.State = result.State == BuildState.Succeeded ? ImageStates.Passed : ImageStates.Failed;
            job.Reason = result.State == BuildState.Succeeded ? null : result.Reason ?? $"the job was {result.State.ToString().ToLowerInvariant()}";
            job.DiskSha256 = (await builds.ArtifactsAsync(result.Id, ImageArtifacts.Disk, cancellationToken)).FirstOrDefault()?.Sha256;
            job.Screenshot = (await builds.ArtifactsAsync(result.Id, ImageArtifacts.Screenshot, cancellationToken)).FirstOrDefault()?.Name;
            var junit = await builds.ArtifactsAsync(result.Id, ImageArtifacts.JUnit, cancellationToken);
            job.JUnit = junit.Count > 0 ? string.Join(' ', junit.Select(a => a.Name)) : null;
        }

        return ended.Count > 0;
    }
}

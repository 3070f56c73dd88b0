using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Forgeline.Core;
using Forgeline.Core.Images;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Images.Plans;
using Forgeline.Projects;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Images.Server;

/// <summary>
/// Starts image builds and test runs: by hand (<c>forgeline image build</c>, <c>forgeline image test</c>), from the review
/// bot's URL job (<c>/test image</c>), and for the coordinator (schedule, publication). The coordinator does the rest.
/// </summary>
public sealed class ImageRuns(ForgelineDbContext db, ProjectService projects, TimeProvider time, ImagesSignal signal)
{
    /// <summary>Queues a build of the image <paramref name="image"/> of <paramref name="project"/>.</summary>
    public async Task<ServiceResult<ImageBuildDto>> BuildAsync(ProjectCaller caller, string project, string image, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.Build, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<ImageBuildDto>.Fail(access.Error!.Value, access.Message!);
        }

        var build = await QueueBuildAsync(project, image, caller.Principal, cancellationToken);
        return build is null ? ServiceResult<ImageBuildDto>.Fail(ServiceError.NotFound, $"project '{project}' has no image '{image}'") : ImageQueries.ToDto(build);
    }

    /// <summary>Starts a run of the plan <paramref name="plan"/> by hand.</summary>
    public async Task<ServiceResult<ImageRunDto>> StartAsync(ProjectCaller caller, string project, string plan, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.Build, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<ImageRunDto>.Fail(access.Error!.Value, access.Message!);
        }

        var row = await db.ImagePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Project == project && p.Name == plan, cancellationToken);
        if (row is null)
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.NotFound, $"project '{project}' has no test plan '{plan}'");
        }

        if (ImageQueries.ReadPlan(row.Yaml) is { } read && !read.Triggers.Contains("manual"))
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.Conflict, $"plan '{plan}' does not allow manual runs (triggers: {string.Join(", ", read.Triggers)})");
        }

        var run = await StartRunAsync(row, "manual", caller.Principal, null, null, cancellationToken);
        return Shown(run);
    }

    /// <summary>
    /// The review bot's URL job (<c>/test image</c>): <paramref name="token"/> must be the plan's trigger token (compared in
    /// constant time); the run reports its result to <see cref="BotJobCall.ReportUrl"/> when it ends.
    /// </summary>
    public async Task<ServiceResult<ImageRunDto>> TriggerAsync(string project, string plan, string? token, BotJobCall call, CancellationToken cancellationToken)
    {
        var row = await db.ImagePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Project == project && p.Name == plan, cancellationToken);
        var expected = Encoding.ASCII.GetBytes(row?.TriggerTokenSha256 ?? new string('0', 64));
        var given = Encoding.ASCII.GetBytes(Sha256Hex.OfText(token ?? ""));
        if (row is null || token is not { Length: > 0 } || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.Unauthorized, "a wrong or missing trigger token; 'forgeline image plan set' shows the URL with the current one");
        }

        if (ImageQueries.ReadPlan(row.Yaml) is { } read && !read.Triggers.Contains("bot"))
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.Conflict, $"plan '{plan}' does not allow bot runs (triggers: {string.Join(", ", read.Triggers)})");
        }

        if (call.ReportUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || string.IsNullOrEmpty(call.ReportToken)))
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.Invalid, "report_url must be an http(s) URL and come with report_token");
        }

        var who = call.Repository is { } repository ? $"{repository}#{call.Number} @ {call.Sha?[..Math.Min(12, call.Sha.Length)]}" : "bot";
        var run = await StartRunAsync(row, "bot", who, call.ReportUrl, call.ReportToken, cancellationToken);
        return Shown(run);
    }

    /// <summary>Queues a build of the image's current definition; null when the project has no such image.</summary>
    internal async Task<ImageBuildRecord?> QueueBuildAsync(string project, string image, string requestedBy, CancellationToken cancellationToken)
    {
        var definition = await db.ImageDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Project == project && d.Name == image, cancellationToken);
        if (definition is null)
        {
            return null;
        }

        var build = new ImageBuildRecord
        {
            Project = project, Image = image, Yaml = definition.Yaml, State = ImageStates.Queued, RequestedBy = requestedBy, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ImageBuilds.Add(build);
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return build;
    }

    /// <summary>Records a run of <paramref name="plan"/> with its jobs waiting; the coordinator builds the image and runs them.</summary>
    internal async Task<ImageRunRecord> StartRunAsync(ImagePlanRecord plan, string trigger, string requestedBy, string? reportUrl, string? reportToken, CancellationToken cancellationToken)
    {
        var read = ImageQueries.ReadPlan(plan.Yaml) ?? throw new InvalidOperationException($"plan {plan.Project}/{plan.Name} no longer reads");
        var run = new ImageRunRecord
        {
            Project = plan.Project, Plan = plan.Name, Yaml = plan.Yaml, Trigger = trigger, RequestedBy = requestedBy, State = ImageStates.Queued,
            ReportUrl = reportUrl, ReportToken = reportToken, CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ImageRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        for (var i = 0; i < read.Jobs.Count; i++)
        {
            db.ImageRunJobs.Add(new ImageRunJobRecord { RunId = run.Id, Position = i, Name = read.Jobs[i].Name, Boot = read.Jobs[i].Boot, State = ImageStates.Waiting });
        }

        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return run;
    }

    private static ImageRunDto Shown(ImageRunRecord run) =>
        new(run.Id, run.Project, run.Plan, run.Trigger, run.RequestedBy, run.State, run.Reason, run.ImageBuildId, [], ImageQueries.Utc(run.CreatedAt), null);
}

/// <summary>What the review bot's URL jobs send (docs/bot-jobs.md): the pull request and where to report.</summary>
/// <param name="Job">The bot's job name.</param>
/// <param name="Forge">github, gitee…</param>
/// <param name="Repository">owner/name.</param>
/// <param name="Number">The pull request.</param>
/// <param name="Sha">Its head.</param>
/// <param name="CloneUrl">Where to clone it.</param>
/// <param name="ReportUrl">Where to report the result.</param>
/// <param name="ReportToken">The bearer token for <paramref name="ReportUrl"/>.</param>
public sealed record BotJobCall(
    [property: JsonPropertyName("job")] string? Job = null,
    [property: JsonPropertyName("forge")] string? Forge = null,
    [property: JsonPropertyName("repository")] string? Repository = null,
    [property: JsonPropertyName("number")] int? Number = null,
    [property: JsonPropertyName("sha")] string? Sha = null,
    [property: JsonPropertyName("clone_url")] string? CloneUrl = null,
    [property: JsonPropertyName("report_url")] string? ReportUrl = null,
    [property: JsonPropertyName("report_token")] string? ReportToken = null);

/// <summary>The states of image builds, runs and jobs.</summary>
public static class ImageStates
{
    /// <summary>Asked for; nothing submitted yet.</summary>
    public const string Queued = "queued";

    /// <summary>An image build on the farm.</summary>
    public const string Building = "building";

    /// <summary>A run whose image or jobs are on the farm.</summary>
    public const string Running = "running";

    /// <summary>A job waiting for its disk (the image or an earlier job).</summary>
    public const string Waiting = "waiting";

    /// <summary>An image build that made its files.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>A job or run whose every step passed.</summary>
    public const string Passed = "passed";

    /// <summary>Failed; the reason says why.</summary>
    public const string Failed = "failed";

    /// <summary>A job that never ran: what it boots failed.</summary>
    public const string Skipped = "skipped";

    /// <summary>Whether a job or run in <paramref name="state"/> has ended.</summary>
    public static bool Ended(string state) => state is Passed or Failed or Skipped or Succeeded;
}

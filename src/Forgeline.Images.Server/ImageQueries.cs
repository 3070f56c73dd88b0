using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Images;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Images.Plans;
using Forgeline.Projects;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Images.Server;

/// <summary>What people read: image builds, runs with their jobs, and the matrix of plans × days.</summary>
public sealed class ImageQueries(ForgelineDbContext db, ProjectService projects, TimeProvider time)
{
    /// <summary>The most days the matrix shows.</summary>
    public const int MaxDays = 62;

    /// <summary>The builds of a project's images, newest first.</summary>
    public async Task<ServiceResult<List<ImageBuildDto>>> BuildsAsync(ProjectCaller caller, string project, int limit, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.See, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<List<ImageBuildDto>>.Fail(access.Error!.Value, access.Message!);
        }

        var rows = await db.ImageBuilds.AsNoTracking().Where(b => b.Project == project).OrderByDescending(b => b.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>One image build.</summary>
    public async Task<ServiceResult<ImageBuildDto>> BuildAsync(ProjectCaller caller, long id, CancellationToken cancellationToken)
    {
        var row = await db.ImageBuilds.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (row is null || await projects.FindAsync(row.Project, caller, cancellationToken) is null)
        {
            return ServiceResult<ImageBuildDto>.Fail(ServiceError.NotFound, $"there is no image build {id}");
        }

        return ToDto(row);
    }

    /// <summary>One run with its jobs.</summary>
    public async Task<ServiceResult<ImageRunDto>> RunAsync(ProjectCaller caller, long id, CancellationToken cancellationToken)
    {
        var row = await db.ImageRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null || await projects.FindAsync(row.Project, caller, cancellationToken) is null)
        {
            return ServiceResult<ImageRunDto>.Fail(ServiceError.NotFound, $"there is no image test run {id}");
        }

        return (await WithJobsAsync([row], cancellationToken))[0];
    }

    /// <summary>The runs of a project (of one plan when <paramref name="plan"/> is set), newest first.</summary>
    public async Task<ServiceResult<List<ImageRunDto>>> RunsAsync(ProjectCaller caller, string project, string? plan, int limit, CancellationToken cancellationToken)
    {
        var access = await projects.AccessAsync(project, caller, ProjectNeed.See, cancellationToken);
        if (!access.IsSuccess)
        {
            return ServiceResult<List<ImageRunDto>>.Fail(access.Error!.Value, access.Message!);
        }

        var rows = await db.ImageRuns.AsNoTracking().Where(r => r.Project == project && (plan == null || r.Plan == plan))
            .OrderByDescending(r => r.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return await WithJobsAsync(rows, cancellationToken);
    }

    /// <summary>
    /// Plans × the last <paramref name="days"/> days (UTC) of the projects the caller may see (one project when
    /// <paramref name="project"/> is set): each cell the day's latest run.
    /// </summary>
    public async Task<ImageMatrixDto> MatrixAsync(ProjectCaller caller, string? project, int days, CancellationToken cancellationToken)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var shown = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1)).ToList();
        var since = shown[0].ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var plans = await db.ImagePlans.AsNoTracking().Where(p => project == null || p.Project == project).OrderBy(p => p.Project).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        var runs = await db.ImageRuns.AsNoTracking().Where(r => r.CreatedAt >= since && (project == null || r.Project == project)).ToListAsync(cancellationToken);
        var visible = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in plans.Select(p => p.Project).Distinct())
        {
            visible[name] = await projects.FindAsync(name, caller, cancellationToken) is not null;
        }

        var latest = runs.GroupBy(r => (r.Project, r.Plan, DateOnly.FromDateTime(r.CreatedAt))).Select(g => g.MaxBy(r => r.Id)!).ToList();
        var dtos = (await WithJobsAsync(latest, cancellationToken)).ToDictionary(r => r.Id);
        var rows = plans.Where(p => visible[p.Project]).Select(p => new ImageMatrixRow(p.Project, p.Name, shown.Select(day =>
            latest.FirstOrDefault(r => r.Project == p.Project && r.Plan == p.Name && DateOnly.FromDateTime(r.CreatedAt) == day) is { } run ? dtos[run.Id] : null).ToList())).ToList();
        return new ImageMatrixDto(shown, rows);
    }

    /// <summary>The plan in <paramref name="yaml"/>, or null when it no longer reads (it was checked when it was set).</summary>
    public static TestPlan? ReadPlan(string yaml)
    {
        try
        {
            return TestPlanReader.Read(yaml, "plan");
        }
        catch (TestPlanException)
        {
            return null;
        }
    }

    /// <summary>A stored UTC time as an offset.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>The stored files of an image build.</summary>
    public static List<ImageFileOutput> FilesOf(ImageBuildRecord build) =>
        build.Files is { } json ? JsonSerializer.Deserialize<List<ImageFileOutput>>(json, ForgelineJson.Options) ?? [] : [];

    /// <summary>An image build as the API shows it.</summary>
    public static ImageBuildDto ToDto(ImageBuildRecord b) =>
        new(b.Id, b.Project, b.Image, b.State, b.BuildId, b.Reason, FilesOf(b), b.RequestedBy, Utc(b.CreatedAt), b.FinishedAt is { } f ? Utc(f) : null);

    private async Task<List<ImageRunDto>> WithJobsAsync(List<ImageRunRecord> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var jobs = (await db.ImageRunJobs.AsNoTracking().Where(j => ids.Contains(j.RunId)).ToListAsync(cancellationToken)).ToLookup(j => j.RunId);
        return runs.Select(r => new ImageRunDto(r.Id, r.Project, r.Plan, r.Trigger, r.RequestedBy, r.State, r.Reason, r.ImageBuildId,
            jobs[r.Id].OrderBy(j => j.Position).Select(ToDto).ToList(), Utc(r.CreatedAt), r.FinishedAt is { } f ? Utc(f) : null)).ToList();
    }

    private static ImageJobDto ToDto(ImageRunJobRecord j) =>
        new(j.Name, j.Boot, j.State, j.BuildId, j.Reason, j is { StartedAt: { } s, FinishedAt: { } f } ? Math.Round((f - s).TotalSeconds, 1) : null,
            j.BaseSha256, j.DiskSha256, j.Screenshot, j.JUnit is { Length: > 0 } names ? names.Split(' ') : []);
}

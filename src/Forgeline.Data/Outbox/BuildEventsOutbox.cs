using Forgeline.Core.MessageCenter;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data.Outbox;

/// <summary>Turns steps of builds' histories into <c>org.forgeline.build.*</c> outbox events.</summary>
internal static class BuildEventsOutbox
{
    /// <summary>Adds one event per step; the builds are read inside the caller's transaction, so they show its changes.</summary>
    public static async Task AddAsync(ForgelineDbContext db, IReadOnlyList<BuildEventRecord> steps, CancellationToken cancellationToken)
    {
        var ids = steps.Select(s => s.BuildId).Distinct().ToList();
        var builds = await db.Builds.AsNoTracking().Where(b => ids.Contains(b.Id))
            .Select(b => new { b.Id, b.Owner, b.Package, b.Arch, b.ProjectId }).ToDictionaryAsync(b => b.Id, cancellationToken);
        var projectIds = builds.Values.Where(b => b.ProjectId is not null).Select(b => b.ProjectId!.Value).Distinct().ToList();
        var projects = projectIds.Count == 0 ? []
            : await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).Select(p => new { p.Id, p.Name, p.IsPublic })
                .ToDictionaryAsync(p => p.Id, cancellationToken);
        foreach (var step in steps)
        {
            if (!builds.TryGetValue(step.BuildId, out var build))
            {
                continue;
            }

            var project = build.ProjectId is { } pid && projects.TryGetValue(pid, out var p) ? p : null;
            var state = step.State.ToLowerInvariant();
            var data = new BuildEventData(build.Id, build.Owner, build.Package, build.Arch, state,
                step.Kind == BuildEventKinds.Finished ? state : null, project?.Name, step.Worker, step.Detail);
            EventOutbox.Add(db, TypeOf(step.Kind), EventOutbox.BuildsSource, $"builds/{build.Id}", build.Owner, project?.IsPublic ?? true, data, step.At);
        }
    }

    private static string TypeOf(string kind) => kind switch
    {
        BuildEventKinds.Started => EventTypes.BuildStarted,
        BuildEventKinds.Finished => EventTypes.BuildFinished,
        _ => EventTypes.BuildQueued,
    };
}

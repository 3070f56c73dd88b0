using Forgeline.Builds.Targets;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds;

/// <summary>Builds for a target: the clean root and macros their lease carries, read when the build is leased.</summary>
public sealed partial class JobService
{
    // The target is read at lease time: a build runs on the target's definition of when it starts. A build whose
    // target was deleted meanwhile ends failed (gone) instead of building on the host's toolchain.
    private async Task<(BuildTarget? Target, bool Gone)> TargetOfQueuedAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Builds.AsNoTracking().Where(b => b.Id == id).Select(b => b.Target).FirstOrDefaultAsync(cancellationToken) is not { } name)
        {
            return (null, false);
        }

        if (await targets.FindAsync(name, cancellationToken) is { } target)
        {
            return (target, false);
        }

        await FailQueuedAsync(id, $"build target '{name}' was deleted before the build started; submit it again for another target", cancellationToken);
        return (null, true);
    }

    // The target's macros and dist first, the build's own (with its project's dist tag) over them; the target's
    // repositories, then the submitter's own (its placement's root layer).
    private static (Dictionary<string, string>? Macros, JobRoot? Root) RootOf(BuildRecord build, BuildTarget? target)
    {
        var own = BuildMapper.MacrosOf(build);
        if (target is null)
        {
            return (own, null);
        }

        var macros = target.BuildMacros();
        foreach (var (name, value) in own ?? [])
        {
            macros[name] = value;
        }

        var layer = build.RootLayer is { } json ? System.Text.Json.JsonSerializer.Deserialize<JobRepository>(json, ForgelineJson.Options) : null;
        return (macros.Count > 0 ? macros : null, target.Root(layer));
    }

    // A queued build that can no longer run as asked ends failed without ever being leased.
    private async Task FailQueuedAsync(long id, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var failed = await db.Builds.Where(b => b.Id == id && b.State == BuildState.Queued).ExecuteUpdateAsync(
            s => s.SetProperty(b => b.State, BuildState.Failed).SetProperty(b => b.FinishedAt, now).SetProperty(b => b.Reason, reason), cancellationToken);
        if (failed == 1)
        {
            BuildHistory.Record(db, id, BuildEventKinds.Finished, BuildState.Failed, now, detail: reason);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (failed == 1)
        {
            await events.RemovedAsync(id, cancellationToken);
        }
    }
}

using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;

namespace Forgeline.Builds;

/// <summary>Writes a step of a build's history for a build changed by a bulk update; saved with the caller's transaction.</summary>
public static class BuildHistory
{
    /// <summary>Adds the event row; the caller saves it in the same transaction as the state change it describes.</summary>
    public static void Record(ForgelineDbContext db, long buildId, string kind, BuildState state, DateTime at, string? worker = null, string? detail = null) =>
        db.BuildEvents.Add(new BuildEventRecord { BuildId = buildId, Kind = kind, State = state.ToString(), At = at, Worker = worker, Detail = detail });

    /// <summary>The event kind for a build moving to <paramref name="state"/>.</summary>
    public static string KindOf(BuildState state) => state switch
    {
        BuildState.Queued => BuildEventKinds.Requeued,
        BuildState.Running => BuildEventKinds.Started,
        _ => BuildEventKinds.Finished,
    };
}

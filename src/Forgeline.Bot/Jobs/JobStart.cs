using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Jobs;

/// <summary>How starting one job went; the commit status says the same.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="RunId">Its row in <c>bot_job_runs</c>.</param>
/// <param name="State"><see cref="CommitState.Pending"/> when it started; <see cref="CommitState.Error"/> when it could not.</param>
/// <param name="Description">What happened, one line (the status's description).</param>
/// <param name="DetailsUrl">Where to follow it (the farm build's page), when known.</param>
public sealed record JobStart(string Job, long RunId, CommitState State, string Description, string? DetailsUrl)
{
    /// <summary>Whether it started.</summary>
    public bool Started => State == CommitState.Pending;
}

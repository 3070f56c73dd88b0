using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Jobs;

/// <summary>
/// One pass of the <see cref="FarmJobReporter"/>: finds pending farm job runs whose build ended, and reports each on its
/// pull request (the commit status with the build's page, and a comment with links to the build and its log). Driven only
/// by the database, so a report a restart interrupted is made by the next pass.
/// </summary>
public sealed partial class FarmJobPass(ForgelineDbContext db, BuildService builds, IForgeClients forges, BotConfig config, TimeProvider time, ILogger<FarmJobPass> logger)
{
    /// <summary>How many runs one pass reports at most.</summary>
    public const int BatchSize = 50;

    /// <summary>Reports the ended runs; returns how many runs it closed (a full batch means there may be more).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // The farm's builds are asked of its service, not joined: which of the runs' builds ended, and which are gone.
        var pending = JobRuns.NameOf(CommitState.Pending);
        var runs = await db.BotJobRuns.Where(r => r.Kind == JobRuns.Farm && r.State == pending).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var ids = runs.Where(r => r.BuildId is not null).Select(r => r.BuildId!.Value).ToList();
        var ended = (await builds.EndedAsync(ids, cancellationToken)).ToDictionary(b => b.Id);
        var gone = (await builds.MissingAsync(ids, cancellationToken)).ToHashSet();
        var due = runs
            .Where(r => r.BuildId is not { } id || ended.ContainsKey(id) || gone.Contains(id))
            .Select(r => new { Run = r, Build = r.BuildId is { } id ? ended.GetValueOrDefault(id) : null })
            .Take(BatchSize)
            .Select(x => new { x.Run, State = x.Build?.State, x.Build?.Reason })
            .ToList();

        var closed = 0;
        foreach (var item in due)
        {
            var (state, description) = Outcome(item.Run, item.State, item.Reason);
            if (await ReportAsync(item.Run, state, description, cancellationToken))
            {
                item.Run.State = JobRuns.NameOf(state);
                item.Run.FinishedAt = time.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(cancellationToken);
                closed++;
            }
        }

        return closed;
    }

    private static (CommitState State, string Description) Outcome(BotJobRunRecord run, BuildState? state, string? reason) => state switch
    {
        BuildState.Succeeded => (CommitState.Success, $"build {run.BuildId} succeeded"),
        BuildState.Failed => (CommitState.Failure, $"build {run.BuildId} failed" + (reason is { Length: > 0 } ? $": {reason}" : "")),
        BuildState.Canceled => (CommitState.Error, $"build {run.BuildId} was canceled"),
        _ => (CommitState.Error, "its build was deleted before it ended"),
    };

    /// <summary>Tells the forge; false to try again at the next pass (the forge is unreachable or failing).</summary>
    private async Task<bool> ReportAsync(BotJobRunRecord run, CommitState state, string description, CancellationToken cancellationToken)
    {
        if (JobRuns.RepoOf(run) is not { } repo || forges.For(repo.Forge) is not { } forge)
        {
            LogNoForge(run.Id, run.Forge);
            return true; // nobody to tell, now or later
        }

        var buildUrl = run.BuildId is { } id ? JobRuns.BuildUrl(config.PublicUrl, id) : null;
        try
        {
            await forge.SetStatusAsync(repo, run.HeadSha, new CommitStatus(RepoSettings.ContextOf(run.Job), state, JobRuns.Clip(description), buildUrl), cancellationToken);
            if (run.Number > 0)
            {
                await forge.CreateCommentAsync(repo, run.Number, CommentOf(run, state, description), cancellationToken);
            }

            LogReported(run.Id, run.Job, JobRuns.NameOf(state));
            return true;
        }
        catch (ForgeApiException e) when (e.StatusCode is >= 400 and < 500 and not 429)
        {
            // The forge refuses for good (the pull request or repository is gone, the bot lost access): do not retry forever.
            LogRefused(run.Id, e.StatusCode, e.Message);
            return true;
        }
        catch (Exception e) when (e is ForgeApiException or HttpRequestException)
        {
            LogRetry(run.Id, e.Message);
            return false;
        }
    }

    private string CommentOf(BotJobRunRecord run, CommitState state, string description)
    {
        var verdict = state switch
        {
            CommitState.Success => "passed",
            CommitState.Failure => "**failed**",
            _ => "**could not run**",
        };
        var links = run.BuildId is { } id && JobRuns.BuildUrl(config.PublicUrl, id) is { } page
            ? $"\n\n[Build {id}]({page}) · [log]({JobRuns.BuildLogUrl(config.PublicUrl, id)})"
            : "";
        var again = state == CommitState.Success ? "" : $"\n\nComment `/retest` to run the failed jobs again, or `/test {run.Job}` for this one.";
        return $"Job `{run.Job}` {verdict} on {JobRuns.Short(run.HeadSha)}: {description}.{links}{again}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reported farm job run {RunId} ({Job}): {State}")]
    private partial void LogReported(long runId, string job, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Farm job run {RunId} ended but its forge {Forge} is not configured; closed without a report")]
    private partial void LogNoForge(long runId, string forge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The forge refused the report of farm job run {RunId} ({StatusCode}: {Error}); closed without a report")]
    private partial void LogRefused(long runId, int? statusCode, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report farm job run {RunId}: {Error}; the next pass tries again")]
    private partial void LogRetry(long runId, string error);
}

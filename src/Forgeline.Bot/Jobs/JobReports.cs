using System.Security.Cryptography;
using System.Text;
using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Jobs;

/// <summary>
/// Takes the reports of URL-triggered jobs (<c>POST /api/v1/bot/jobs/{id}/status</c>): checks the run's one-time token,
/// sets the job's commit status and, when the job ended, comments on the pull request with the result.
/// </summary>
public sealed partial class JobReports(ForgelineDbContext db, IForgeClients forges, TimeProvider time, ILogger<JobReports> logger)
{
    /// <summary>Records a report of run <paramref name="runId"/>.</summary>
    /// <param name="runId">The run (from the report URL the job was given).</param>
    /// <param name="token">The bearer token the job sent: the <c>report_token</c> it was started with.</param>
    /// <param name="state">pending, success, failure or error.</param>
    /// <param name="description">One line for people; cut to 140 characters.</param>
    /// <param name="url">Where the job's log is (http or https).</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>The run; NotFound for an unknown run, Unauthorized for a wrong token, Invalid for a bad state or URL,
    /// Conflict when the run already ended with another state or its forge is no longer configured.</returns>
    public async Task<ServiceResult<JobRunView>> ReportAsync(long runId, string? token, string? state, string? description, string? url, CancellationToken cancellationToken)
    {
        var run = await db.BotJobRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Kind != JobRuns.Url)
        {
            return ServiceResult<JobRunView>.Fail(ServiceError.NotFound, $"there is no URL job run {runId}");
        }

        // Checked before the body, so only the job that was started learns anything about the run.
        if (!TokenMatches(token, run.ReportTokenHash))
        {
            LogBadToken(runId);
            return ServiceResult<JobRunView>.Fail(ServiceError.Unauthorized, $"wrong report token for job run {runId}; send the report_token the job was started with as 'Authorization: Bearer <token>'");
        }

        if (!JobRuns.TryParse(state, out var newState))
        {
            return ServiceResult<JobRunView>.Fail(ServiceError.Invalid, $"state '{state}' is not one of pending, success, failure, error");
        }

        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            return ServiceResult<JobRunView>.Fail(ServiceError.Invalid, $"url '{url}' is not an http(s) URL");
        }

        if (run.State != JobRuns.NameOf(CommitState.Pending))
        {
            // A job that repeats its final report (it did not see our answer) gets the same answer; a change is refused.
            return run.State == JobRuns.NameOf(newState)
                ? ViewOf(run)
                : ServiceResult<JobRunView>.Fail(ServiceError.Conflict, $"job run {runId} already ended with {run.State}; start it again with /test {run.Job}");
        }

        if (JobRuns.RepoOf(run) is not { } repo || forges.For(repo.Forge) is not { } forge)
        {
            return ServiceResult<JobRunView>.Fail(ServiceError.Conflict, $"the forge of job run {runId} ({run.Forge}) is not configured in the bot any more");
        }

        var text = JobRuns.Clip(string.IsNullOrWhiteSpace(description) ? DefaultDescription(newState) : description);
        // Forge first, then the row: if the forge fails the job gets a 5xx and may report again.
        await forge.SetStatusAsync(repo, run.HeadSha, new CommitStatus(RepoSettings.ContextOf(run.Job), newState, text, url), cancellationToken);
        if (newState != CommitState.Pending && run.Number > 0)
        {
            await forge.CreateCommentAsync(repo, run.Number, CommentOf(run, newState, text, url), cancellationToken);
        }

        run.State = JobRuns.NameOf(newState);
        run.DetailsUrl = url ?? run.DetailsUrl;
        if (newState != CommitState.Pending)
        {
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(cancellationToken);
        LogReported(runId, run.Job, run.State);
        return ViewOf(run);
    }

    /// <summary>sha256 (lower-case hex) of a report token, as stored in <c>bot_job_runs.report_token_hash</c>.</summary>
    public static string HashOf(string token) => Sha256Hex.OfText(token);

    /// <summary>
    /// Whether <paramref name="token"/> hashes to <paramref name="storedHash"/>. The digests are compared in constant time,
    /// so how long the answer takes says nothing about how much of a guess was right.
    /// </summary>
    public static bool TokenMatches(string? token, string? storedHash)
    {
        if (string.IsNullOrEmpty(token) || storedHash is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(token)), Encoding.ASCII.GetBytes(storedHash));
    }

    private static string DefaultDescription(CommitState state) => state switch
    {
        CommitState.Pending => "running",
        CommitState.Success => "passed",
        CommitState.Failure => "failed",
        _ => "could not run",
    };

    private static string CommentOf(BotJobRunRecord run, CommitState state, string description, string? url)
    {
        var verdict = state switch
        {
            CommitState.Success => "passed",
            CommitState.Failure => "**failed**",
            _ => "**could not run**",
        };
        var details = url is null ? "" : $" ([details]({url}))";
        var again = state == CommitState.Success ? "" : $"\n\nComment `/retest` to run the failed jobs again, or `/test {run.Job}` for this one.";
        return $"Job `{run.Job}` {verdict} on {JobRuns.Short(run.HeadSha)}: {description}{details}{again}";
    }

    private static JobRunView ViewOf(BotJobRunRecord run) => new(run.Id, run.Job, run.Repository, run.Number, run.HeadSha, run.State, run.DetailsUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A report for job run {RunId} had a wrong token")]
    private partial void LogBadToken(long runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job run {RunId} ({Job}) reported {State}")]
    private partial void LogReported(long runId, string job, string state);
}

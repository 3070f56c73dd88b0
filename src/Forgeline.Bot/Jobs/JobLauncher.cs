using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Bot.State;
using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Jobs;

/// <summary>
/// Starts CI job runs for a pull request's head: records each in <c>bot_job_runs</c> and sets its <c>forgeline/&lt;job&gt;</c>
/// commit status to pending. A farm job is a build of the repository (a package, spec at its root) on Forgeline's build
/// farm, reported by <see cref="FarmJobReporter"/> when it ends; a URL job is a POST to the job's URL, and the job reports
/// back through <see cref="JobReports"/> with the one-time token it was given. A job that cannot start gets an error status.
/// </summary>
public sealed partial class JobLauncher(
    ForgelineDbContext db, IHttpClientFactory http, FarmJobSignal signal, TimeProvider time, IServiceProvider services, ILogger<JobLauncher> logger)
{
    /// <summary>The name of the HTTP client URL jobs are started with.</summary>
    public const string HttpClientName = "jobs";

    /// <summary>How long a job's URL may take to accept a start (several jobs start one after the other within one plugin run).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Starts <paramref name="job"/> on <paramref name="target"/>.</summary>
    /// <param name="target">The pull request head.</param>
    /// <param name="job">The job.</param>
    /// <param name="statuses">The forge the statuses go to.</param>
    /// <param name="publicUrl">Forgeline's public URL (links, and where URL jobs report back).</param>
    /// <param name="cancellationToken">Cancels.</param>
    public Task<JobStart> StartAsync(JobTarget target, JobConfig job, ICommitStatuses statuses, string? publicUrl, CancellationToken cancellationToken) =>
        job.Farm ? StartFarmAsync(target, job, statuses, publicUrl, cancellationToken) : StartUrlAsync(target, job, statuses, publicUrl, cancellationToken);

    private async Task<JobStart> StartFarmAsync(JobTarget target, JobConfig job, ICommitStatuses statuses, string? publicUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(target.CloneUrl))
        {
            return await FailAsync(target, job, JobRuns.Farm, "the forge did not say where to clone the repository from", statuses, cancellationToken);
        }

        // Resolved only here: a bot that only runs URL jobs needs no build farm in its process.
        if (services.GetService<BuildService>() is not { } builds)
        {
            return await FailAsync(target, job, JobRuns.Farm, "the build farm does not run in this Forgeline server", statuses, cancellationToken);
        }

        var request = new SubmitBuildRequest(new BuildSource(SourceKind.Git, Url: target.CloneUrl, Ref: target.HeadSha));
        var submitted = await builds.SubmitAsync($"bot:{target.Repo.Organisation}", request, cancellationToken);
        if (!submitted.IsSuccess)
        {
            return await FailAsync(target, job, JobRuns.Farm, $"the build farm refused the build: {submitted.Message}", statuses, cancellationToken);
        }

        var build = submitted.Value!;
        var url = JobRuns.BuildUrl(publicUrl, build.Id);
        var description = $"build {build.Id} queued on the build farm";
        // The status before the row: the reporter only sees the run once it is stored, so its final status always comes last.
        await SetPendingAsync(statuses, target, job, description, url, cancellationToken);
        var run = NewRun(target, job, JobRuns.Farm, CommitState.Pending);
        run.BuildId = build.Id;
        run.DetailsUrl = url;
        db.BotJobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        LogStarted(run.Id, job.Name, target.Repo.ToString(), target.Number, JobRuns.Farm);
        if (build.State != BuildState.Queued.ToApiName())
        {
            signal.Wake(); // finished at once from the build cache: report it now rather than at the next periodic pass
        }

        return new JobStart(job.Name, run.Id, CommitState.Pending, description, url);
    }

    private async Task<JobStart> StartUrlAsync(JobTarget target, JobConfig job, ICommitStatuses statuses, string? publicUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(publicUrl))
        {
            return await FailAsync(target, job, JobRuns.Url, "the bot's public_url is not set, so the job could not report back", statuses, cancellationToken);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var run = NewRun(target, job, JobRuns.Url, CommitState.Pending);
        run.ReportTokenHash = JobReports.HashOf(token);
        db.BotJobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        // Pending before the POST: a job that reports back at once must not be overwritten by this status.
        var context = RepoSettings.ContextOf(job.Name);
        const string Waiting = "started; waiting for the job to report";
        await SetPendingAsync(statuses, target, job, Waiting, null, cancellationToken);
        var body = new UrlJobRequest(
            job.Name, BotPullStore.ForgeName(target.Repo.Forge), target.Repo.FullName, target.Number, target.HeadSha, target.CloneUrl,
            JobRuns.ReportUrl(publicUrl, run.Id)!, token);
        if (await PostAsync(job.Url!, body, cancellationToken) is not { } problem)
        {
            LogStarted(run.Id, job.Name, target.Repo.ToString(), target.Number, JobRuns.Url);
            return new JobStart(job.Name, run.Id, CommitState.Pending, Waiting, null);
        }

        LogStartFailed(run.Id, job.Name, problem);
        run.State = JobRuns.NameOf(CommitState.Error);
        run.FinishedAt = time.GetUtcNow().UtcDateTime;
        run.ReportTokenHash = null; // the job never got it; nothing may report on this run
        await db.SaveChangesAsync(cancellationToken);
        var description = JobRuns.Clip($"could not start: {problem}");
        await statuses.SetStatusAsync(target.Repo, target.HeadSha, new CommitStatus(context, CommitState.Error, description), cancellationToken);
        return new JobStart(job.Name, run.Id, CommitState.Error, description, null);
    }

    /// <summary>
    /// Sets the pending status; a forge that fails here does not stop the job, whose final status is set when it ends
    /// (a run without a row, or a row whose job was never asked, would never be reported).
    /// </summary>
    private async Task SetPendingAsync(ICommitStatuses statuses, JobTarget target, JobConfig job, string description, string? url, CancellationToken cancellationToken)
    {
        try
        {
            await statuses.SetStatusAsync(target.Repo, target.HeadSha, new CommitStatus(RepoSettings.ContextOf(job.Name), CommitState.Pending, description, url), cancellationToken);
        }
        catch (Exception e) when (e is ForgeApiException or HttpRequestException)
        {
            LogPendingStatusFailed(job.Name, target.Repo.ToString(), target.Number, e.Message);
        }
    }

    /// <summary>POSTs the start request; the problem in words, or null when the job accepted it.</summary>
    private async Task<string?> PostAsync(string url, UrlJobRequest body, CancellationToken cancellationToken)
    {
        var host = new Uri(url).Authority;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartTimeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).PostAsJsonAsync(url, body, limit.Token);
            return response.IsSuccessStatusCode ? null : $"{host} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return $"could not reach {host}: {(e.InnerException ?? e).Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{host} did not answer within {StartTimeout.TotalSeconds:0} s";
        }
    }

    private async Task<JobStart> FailAsync(JobTarget target, JobConfig job, string kind, string problem, ICommitStatuses statuses, CancellationToken cancellationToken)
    {
        var run = NewRun(target, job, kind, CommitState.Error);
        run.FinishedAt = run.CreatedAt;
        db.BotJobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        LogStartFailed(run.Id, job.Name, problem);
        var description = JobRuns.Clip($"could not start: {problem}");
        await statuses.SetStatusAsync(target.Repo, target.HeadSha, new CommitStatus(RepoSettings.ContextOf(job.Name), CommitState.Error, description), cancellationToken);
        return new JobStart(job.Name, run.Id, CommitState.Error, description, null);
    }

    private BotJobRunRecord NewRun(JobTarget target, JobConfig job, string kind, CommitState state) => new()
    {
        Forge = BotPullStore.ForgeName(target.Repo.Forge),
        Repository = target.Repo.FullName,
        Number = target.Number,
        HeadSha = target.HeadSha,
        Job = job.Name,
        Kind = kind,
        State = JobRuns.NameOf(state),
        CreatedAt = time.GetUtcNow().UtcDateTime,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Started job run {RunId} ({Job}, {Kind}) for {Repository}#{Number}")]
    private partial void LogStarted(long runId, string job, string repository, int number, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set the pending status of job {Job} on {Repository}#{Number}: {Error}; the job runs anyway")]
    private partial void LogPendingStatusFailed(string job, string repository, int number, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job run {RunId} ({Job}) could not start: {Problem}")]
    private partial void LogStartFailed(long runId, string job, string problem);

    /// <summary>What a URL job receives (docs/bot-jobs.md).</summary>
    private sealed record UrlJobRequest(
        [property: JsonPropertyName("job")] string Job,
        [property: JsonPropertyName("forge")] string Forge,
        [property: JsonPropertyName("repository")] string Repository,
        [property: JsonPropertyName("number")] int Number,
        [property: JsonPropertyName("sha")] string Sha,
        [property: JsonPropertyName("clone_url")] string? CloneUrl,
        [property: JsonPropertyName("report_url")] string ReportUrl,
        [property: JsonPropertyName("report_token")] string ReportToken);
}

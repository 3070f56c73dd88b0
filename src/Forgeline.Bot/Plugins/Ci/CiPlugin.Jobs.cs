using System.Text;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Bot.Plugins.Ci;

/// <summary>The commands that start jobs: <c>/test</c>, <c>/retest</c>, <c>/ok-to-test</c>.</summary>
public sealed partial class CiPlugin
{
    private async Task TestAsync(PluginContext context, IssueInfo pull, CommandInvocation command, CancellationToken cancellationToken)
    {
        var jobs = context.Settings.Jobs;
        var names = command.Arguments;
        if (names.Count == 0)
        {
            await context.ReplyAsync($"usage: `{command.Spec.Usage}`.\n\n{JobList(jobs)}", cancellationToken);
            return;
        }

        if (names is ["?"])
        {
            await context.ReplyAsync(JobList(jobs), cancellationToken);
            return;
        }

        var chosen = names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase))
            ? jobs.ToList()
            : jobs.Where(j => names.Contains(j.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        var unknown = names.Where(n => !n.Equals("all", StringComparison.OrdinalIgnoreCase) && !jobs.Any(j => j.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        var started = await StartAsync(context, pull, chosen, cancellationToken);
        var text = new StringBuilder();
        if (unknown.Count > 0)
        {
            text.Append($"there is no job {string.Join(", ", unknown.Select(n => $"`{n}`"))} in this repository.\n\n");
        }

        if (started.Count > 0)
        {
            text.Append(Summary(pull, started));
        }
        else if (unknown.Count == 0)
        {
            text.Append("this repository has no CI jobs (`jobs:` in the bot's configuration).");
        }

        if (unknown.Count > 0)
        {
            text.Append("\n\n").Append(JobList(jobs));
        }

        await context.ReplyAsync(text.ToString().Trim(), cancellationToken);
    }

    private async Task RetestAsync(PluginContext context, IssueInfo pull, CancellationToken cancellationToken)
    {
        var latest = (await statuses.On(context).GetStatusesAsync(context.Event.Repo, pull.HeadSha!, cancellationToken)).ToDictionary(s => s.Context, StringComparer.Ordinal);
        var failed = context.Settings.Jobs
            .Where(j => latest.TryGetValue(RepoSettings.ContextOf(j.Name), out var s) && s.State is CommitState.Failure or CommitState.Error)
            .ToList();
        if (failed.Count == 0)
        {
            await context.ReplyAsync($"no job failed on {Short(pull.HeadSha!)}, so there is nothing to run again; `/test NAME` runs one job anyway.", cancellationToken);
            return;
        }

        await context.ReplyAsync(Summary(pull, await StartAsync(context, pull, failed, cancellationToken)), cancellationToken);
    }

    private async Task OkToTestAsync(PluginContext context, IssueInfo pull, CancellationToken cancellationToken)
    {
        var wasTrusted = await context.Services.Permissions.IsTrustedAsync(context, cancellationToken);
        await context.Pulls.UpdateAsync(context.Event.Repo, context.Number, s => s with { Trusted = true }, cancellationToken);
        if (pull.Labels.Contains(Labels.NeedsOkToTest, StringComparer.OrdinalIgnoreCase))
        {
            await labels.On(context).RemoveLabelAsync(context.Event.Repo, context.Number, Labels.NeedsOkToTest, cancellationToken);
        }

        if (wasTrusted)
        {
            await context.ReplyAsync("this pull request is trusted already; `/test NAME` or `/retest` runs its jobs again.", cancellationToken);
            return;
        }

        await labels.On(context).AddLabelsAsync(context.Event.Repo, context.Number, [Labels.OkToTest], cancellationToken);
        var started = await StartAsync(context, pull, [.. context.Settings.Jobs.Where(j => j.AlwaysRun)], cancellationToken);
        var jobs = started.Count > 0 ? Summary(pull, started) : "it has no jobs that run on every push; `/test NAME` runs one.";
        await context.ReplyAsync($"trusted: CI now runs on this pull request and on every new push. {jobs}", cancellationToken);
    }

    /// <summary>Starts <paramref name="jobs"/> on the pull request's head, one after the other.</summary>
    private async Task<List<JobStart>> StartAsync(PluginContext context, IssueInfo pull, IReadOnlyList<JobConfig> jobs, CancellationToken cancellationToken)
    {
        var started = new List<JobStart>();
        if (jobs.Count == 0)
        {
            return started;
        }

        var launcher = context.Services.Provider.GetRequiredService<JobLauncher>();
        var target = new JobTarget(context.Event.Repo, context.Number, pull.HeadSha!, context.Event.CloneUrl);
        foreach (var job in jobs)
        {
            started.Add(await launcher.StartAsync(target, job, statuses.On(context), context.Settings.Config.PublicUrl, cancellationToken));
        }

        return started;
    }

    private static string Summary(IssueInfo pull, IReadOnlyList<JobStart> started)
    {
        var text = new StringBuilder();
        if (started.Where(s => s.Started).ToList() is { Count: > 0 } ok)
        {
            text.Append($"started on {Short(pull.HeadSha!)}: {string.Join(", ", ok.Select(s => s.DetailsUrl is { } url ? $"[`{s.Job}`]({url})" : $"`{s.Job}`"))}.");
        }

        foreach (var failed in started.Where(s => !s.Started))
        {
            text.Append($"\n- `{failed.Job}` {failed.Description}");
        }

        return text.ToString().Trim();
    }

    /// <summary>The repository's jobs as a Markdown table.</summary>
    private static string JobList(IReadOnlyList<JobConfig> jobs)
    {
        if (jobs.Count == 0)
        {
            return "This repository has no CI jobs (`jobs:` in the bot's configuration).";
        }

        var table = new StringBuilder("Jobs of this repository:\n\n| job | runs on | on every push | required to merge |\n|---|---|---|---|\n");
        foreach (var job in jobs)
        {
            table.Append($"| `{job.Name}` | {(job.Farm ? "the build farm" : UrlHost(job.Url))} | {(job.AlwaysRun ? "yes" : "no")} | {(job.Required ? "yes" : "no")} |\n");
        }

        return table.Append("\n`/test NAME` runs one, `/test all` runs them all.").ToString();
    }

    /// <summary>Only the host of a job's URL: the rest may hold a trigger token, and comments are public.</summary>
    private static string UrlHost(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : "a URL";
}

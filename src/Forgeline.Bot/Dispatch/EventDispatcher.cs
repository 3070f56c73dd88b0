using System.Diagnostics;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.State;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Dispatch;

/// <summary>
/// Runs the plugins a repository enables on one event, each isolated: its own log scope, a time limit, its errors caught
/// and recorded, its duration measured. Before a plugin runs, the commands in the comment are parsed once and each is
/// checked against its audience here; the sender gets one answer per command they may not use.
/// Comments: created ones are read; edited ones only for commands that were not in the text before the edit; deleted ones
/// and the bot's own are never read.
/// </summary>
public sealed partial class EventDispatcher(IReadOnlyList<IBotPlugin> plugins, CommandCatalog catalog, BotMetrics metrics, ILogger<EventDispatcher> logger)
{
    /// <summary>How long one plugin may take on one event.</summary>
    public TimeSpan PluginTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The plugins, in the order they run (merge automation last).</summary>
    public IReadOnlyList<IBotPlugin> Plugins => plugins;

    /// <summary>
    /// Runs every enabled plugin that wants <paramref name="e"/>, skipping those in <paramref name="alreadyDone"/>; one
    /// outcome per plugin run, each also handed to <paramref name="recorded"/> as soon as the plugin ends.
    /// </summary>
    public async Task<IReadOnlyList<PluginOutcome>> DispatchAsync(
        BotEvent e,
        RepoSettings settings,
        IForgeClient forge,
        IBotPullStore pulls,
        BotServices services,
        IReadOnlySet<string> alreadyDone,
        CancellationToken cancellationToken,
        Func<PluginOutcome, Task>? recorded = null)
    {
        var commands = CommandsIn(e, settings);
        var outcomes = new List<PluginOutcome>();
        if (e is { Number: { } number } && (e.Author is null || (e.IsPullRequest && (e.Ref is null || e.HeadSha is null))) && plugins.Any(p => settings.Plugins.Contains(p.Name) && !alreadyDone.Contains(p.Name) && (p.Wants(e) || commands.Any(c => c.Spec.Plugin == p.Name))))
        {
            // Some payloads name the author only by id (GitLab notes and updates) or leave out a pull request's base and
            // head (GitHub comments): read them, since rules such as "not the author's own /lgtm" and OWNERS at the base
            // branch depend on them.
            var issue = await forge.GetIssueAsync(e.Repo, number, cancellationToken);
            e = e with { Author = issue.Author, HeadSha = e.HeadSha ?? issue.HeadSha, Ref = e.Ref ?? issue.BaseRef, HasMilestone = e.HasMilestone ?? issue.HasMilestone };
        }

        foreach (var plugin in plugins)
        {
            if (!settings.Plugins.Contains(plugin.Name) || alreadyDone.Contains(plugin.Name))
            {
                continue;
            }

            var mine = commands.Where(c => c.Spec.Plugin == plugin.Name).ToList();
            if (mine.Count == 0 && !plugin.Wants(e))
            {
                continue;
            }

            var outcome = await RunAsync(plugin, e, mine, forge, settings, pulls, services, cancellationToken);
            outcomes.Add(outcome);
            if (recorded is not null)
            {
                await recorded(outcome);
            }
        }

        return outcomes;
    }

    /// <summary>The commands an event carries for a repository's enabled plugins.</summary>
    public IReadOnlyList<CommandInvocation> CommandsIn(BotEvent e, RepoSettings settings)
    {
        if (e is not { Kind: BotEventKind.Comment, Comment: { } comment, Number: not null } || e.Action == "deleted"
            || e.Sender.Equals(settings.Config.BotLogin, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var found = catalog.Parser.Parse(comment.Body).Where(c => settings.Plugins.Contains(c.Spec.Plugin));
        if (e.Action == "edited")
        {
            // Only what the edit added: re-running an old /lgtm because a typo was fixed would surprise everyone.
            var before = catalog.Parser.Parse(comment.PreviousBody).Select(c => c.Line).ToList();
            found = comment.PreviousBody is null ? [] : found.Where(c => !before.Remove(c.Line));
        }
        else if (e.Action != "created")
        {
            return [];
        }

        return [.. found];
    }

    private async Task<PluginOutcome> RunAsync(
        IBotPlugin plugin, BotEvent e, List<CommandInvocation> commands, IForgeClient forge, RepoSettings settings, IBotPullStore pulls, BotServices services, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Plugin"] = plugin.Name, ["DeliveryId"] = e.DeliveryId, ["Repository"] = e.Repo.ToString(), ["Number"] = e.Number });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PluginTimeout);
        var started = Stopwatch.GetTimestamp();
        var context = new PluginContext(e, [], forge, settings, pulls, services, logger);
        try
        {
            var allowed = new List<CommandInvocation>();
            foreach (var command in commands)
            {
                if (command.Spec.Arguments == CommandArguments.Required && command.Arguments.Count == 0)
                {
                    await context.ReplyAsync($"`/{command.Spec.Name}` needs arguments: `{command.Spec.Usage}`.", limit.Token);
                }
                else if (await services.Permissions.AllowsAsync(command, context, limit.Token))
                {
                    allowed.Add(command);
                }
                else
                {
                    metrics.CommandRefused(plugin.Name, command.Spec.Name);
                    var (what, who) = command.IsCancel && command.Spec.CancelAudience is not null
                        ? ($"/{command.Spec.Name} cancel", command.Spec.CancelWhoText)
                        : ($"/{command.Spec.Name}", command.Spec.WhoText);
                    await context.ReplyAsync($"`{what}` is for {who}; you are not one of them, so nothing was done.", limit.Token);
                }
            }

            if (allowed.Count > 0 || plugin.Wants(e))
            {
                await plugin.HandleAsync(context with { Commands = allowed }, limit.Token);
            }

            return Finish(plugin, PluginOutcome.Done, started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(plugin.Name, e.DeliveryId, PluginTimeout.TotalSeconds);
            return Finish(plugin, PluginOutcome.TimedOut, started, $"took longer than {PluginTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, plugin.Name, e.DeliveryId);
            return Finish(plugin, PluginOutcome.Failed, started, ex.Message);
        }
    }

    private PluginOutcome Finish(IBotPlugin plugin, string outcome, long started, string? error = null)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.PluginRan(plugin.Name, outcome, elapsed);
        return new PluginOutcome(plugin.Name, outcome, elapsed, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin {Plugin} timed out on delivery {DeliveryId} after {Seconds} s")]
    private partial void LogTimedOut(string plugin, string deliveryId, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plugin {Plugin} failed on delivery {DeliveryId}")]
    private partial void LogFailed(Exception exception, string plugin, string deliveryId);
}

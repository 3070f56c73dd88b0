using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Plugins.Cla;

/// <summary>
/// Checks that every author of a pull request's commits signed the community's CLA: labels <c>&lt;community&gt;-cla/yes</c>
/// when all did, <c>&lt;community&gt;-cla/no</c> with a comment naming who did not and where to sign otherwise. Runs when a
/// pull request is opened or gets new commits, and on <c>/check-cla</c>. When the CLA service cannot be asked the labels
/// stay as they are: the bot never says "yes" when it is unsure.
/// </summary>
public sealed class ClaPlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels, ForgeAccess<IIssueComments> comments, ForgeAccess<IRepoContent> content) : IBotPlugin
{
    /// <summary>The name of the HTTP client the CLA service is asked with.</summary>
    public const string HttpClientName = "cla";

    /// <inheritdoc />
    public string Name => "cla";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands { get; } =
    [
        new("check-cla", "/check-cla", "Checks again that every commit author signed the CLA and sets the CLA label.", CommandAudience.Anyone, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public bool Wants(BotEvent e) => e is { Kind: BotEventKind.PullRequest, IsPullRequest: true, Number: not null } && e.Action is "opened" or "synchronized";

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var asked = context.Commands.Count > 0;
        var repo = context.Event.Repo;
        if (context.Settings.Config.Cla is not { CheckUrl: { Length: > 0 } checkUrl } cla)
        {
            if (asked)
            {
                await context.ReplyAsync("this bot has no CLA service configured (`cla.check_url`), so it cannot check the CLA.", cancellationToken);
            }

            return;
        }

        var pull = await issues.On(context).GetIssueAsync(repo, context.Number, cancellationToken);
        if (!pull.IsPullRequest)
        {
            await context.ReplyAsync("`/check-cla` works on pull requests only.", cancellationToken);
            return;
        }

        var commits = await content.On(context).GetCommitsAsync(repo, context.Number, cancellationToken);
        if (commits.Count == 0)
        {
            await context.ReplyAsync("found no commits in this pull request, so the CLA could not be checked; the labels are unchanged.", cancellationToken);
            return;
        }

        var client = new ClaClient(context.Services.Http.CreateClient(HttpClientName), checkUrl);
        var unsigned = new List<string>();
        foreach (var author in commits.GroupBy(c => c.AuthorEmail.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            var who = Describe(author.Key, author);
            if (author.Key.Length == 0)
            {
                unsigned.Add(who); // nobody to look up: not known to have signed
                continue;
            }

            var answer = await client.IsSignedAsync(author.Key, cancellationToken);
            if (answer.Signed is not { } signed)
            {
                await context.ReplyAsync($"could not check the CLA of {who}: {answer.Problem}. The CLA labels are unchanged; comment `/check-cla` to try again.", cancellationToken);
                return;
            }

            if (!signed)
            {
                unsigned.Add(who);
            }
        }

        var (yes, no) = (context.Settings.ClaYesLabel, context.Settings.ClaNoLabel);
        var has = pull.Labels.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (add, remove) = unsigned.Count == 0 ? (yes, no) : (no, yes);
        if (!has.Contains(add))
        {
            await labels.On(context).AddLabelsAsync(repo, context.Number, [add], cancellationToken);
        }

        if (has.Contains(remove))
        {
            await labels.On(context).RemoveLabelAsync(repo, context.Number, remove, cancellationToken);
        }

        if (unsigned.Count == 0)
        {
            if (asked)
            {
                await context.ReplyAsync($"every commit author has signed the CLA; labeled `{yes}`.", cancellationToken);
            }
        }
        else if (asked || !has.Contains(no))
        {
            // Said once when the label comes, and whenever asked; not again on every push.
            var sign = cla.SignUrl is { Length: > 0 } url ? $"Please sign it at {url}, then comment `/check-cla`." : "Please sign it, then comment `/check-cla`.";
            var list = string.Join("\n", unsigned.Select(u => $"- {u}"));
            await comments.On(context).CreateCommentAsync(repo, context.Number,
                $"@{pull.Author}: these commit authors have not signed the {context.Settings.Config.Community} CLA (Contributor License Agreement), so this pull request is labeled `{no}` and cannot be merged:\n\n{list}\n\n{sign} " +
                "If you signed with another e-mail address, change the commits' author to it.", cancellationToken);
        }
    }

    private static string Describe(string email, IEnumerable<CommitInfo> commits)
    {
        var logins = commits.Select(c => c.AuthorLogin).OfType<string>().Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Select(l => $"@{l}").ToList();
        var address = email.Length > 0 ? email : $"no e-mail address (commit {commits.First().Sha[..Math.Min(7, commits.First().Sha.Length)]})";
        return logins.Count > 0 ? $"{address} ({string.Join(", ", logins)})" : address;
    }
}

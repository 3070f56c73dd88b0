using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Plugins.Cc;

/// <summary><c>/cc</c>: anyone may ask people to review a pull request (the forge's review request).</summary>
public sealed class CcPlugin(ForgeAccess<IIssueAssignees> assignees) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("cc", "/cc @user …", $"Requests reviews of this pull request from the people named; at most {LoginArguments.Max}.",
            CommandAudience.Anyone, Arguments: CommandArguments.Required),
    ];

    /// <inheritdoc />
    public string Name => "cc";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => false;

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        foreach (var command in context.Commands)
        {
            var targets = LoginArguments.Of(command);
            if (!e.IsPullRequest)
            {
                await context.ReplyAsync("`/cc` requests reviews, so it works only on pull requests; nothing was done. Use `/assign` on issues.", cancellationToken);
                continue;
            }

            if (targets.Logins.Count == 0 && targets.Malformed.Count == 0)
            {
                await context.ReplyAsync("name the people to ask: `/cc @user …`; nothing was done.", cancellationToken);
                continue;
            }

            if (targets.TooMany)
            {
                await context.ReplyAsync($"`/cc` takes at most {LoginArguments.Max} people at once; nothing was done.", cancellationToken);
                continue;
            }

            var problems = new List<string>();
            if (targets.MalformedText is { } malformed)
            {
                problems.Add(malformed);
            }

            // Forges refuse a review request from the author of the pull request (GitHub answers 422 for the whole list).
            var reviewers = targets.Logins.Where(l => !l.Equals(e.Author, StringComparison.OrdinalIgnoreCase)).ToList();
            if (reviewers.Count < targets.Logins.Count)
            {
                problems.Add($"@{e.Author} wrote this pull request and cannot review it");
            }

            if (reviewers.Count > 0)
            {
                try
                {
                    await assignees.On(context).RequestReviewersAsync(e.Repo, context.Number, reviewers, cancellationToken);
                }
                catch (ForgeApiException ex) when (ex.StatusCode is 404 or 422)
                {
                    // Typically someone named is not a collaborator of the repository: the forge rejects the whole request.
                    problems.Add($"the forge refused to request reviews from {LoginArguments.Mentions(reviewers)} (it answered {ex.StatusCode}); only people with access to the repository can be asked");
                    reviewers.Clear();
                }
            }

            if (problems.Count > 0)
            {
                var rest = reviewers.Count == 0 ? "Nobody was asked." : $"Reviews were requested from {LoginArguments.Mentions(reviewers)}.";
                await context.ReplyAsync($"{string.Join("; ", problems)}. {rest}", cancellationToken);
            }
        }
    }
}

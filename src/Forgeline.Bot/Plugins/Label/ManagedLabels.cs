using Forgeline.Bot.Config;

namespace Forgeline.Bot.Plugins.Label;

/// <summary>
/// The labels other plugins own: <c>/label</c> and <c>/remove-label</c> refuse them and name the command to use instead,
/// so a label that stands for a decision (a review, an approval, a signed CLA) only ever comes from that decision.
/// </summary>
public static class ManagedLabels
{
    /// <summary>How <paramref name="label"/> is set or removed, when a plugin owns it (<c>use `/lgtm` or `/lgtm cancel`</c>); null when anyone may.</summary>
    public static string? HowToChange(string label, RepoSettings settings)
    {
        var l = label.ToLowerInvariant();
        return l switch
        {
            Labels.Lgtm => "use `/lgtm` or `/lgtm cancel`",
            Labels.Approved => "use `/approve` or `/approve cancel`",
            Labels.NeedsIssue => "use `/check-issue` after linking an issue, or a member's `/remove-needs-issue`",
            Labels.NeedsMilestone => "set a milestone, or use `/check-milestone`",
            Labels.OkToTest or Labels.NeedsOkToTest => "use `/ok-to-test`",
            Labels.NeedsRebase => "the bot sets it while the pull request conflicts with its base branch; rebase to clear it",
            _ when l.StartsWith(settings.Config.Community.ToLowerInvariant() + Labels.ClaSuffix, StringComparison.Ordinal) => "sign the CLA, then use `/check-cla`",
            _ => null,
        };
    }
}

using Forgeline.Bot.Config;

namespace Forgeline.Bot.Plugins;

/// <summary>
/// The labels the bot's plugins set and read, in one place so plugins, merge rules and <c>/label</c> agree on the names.
/// The CLA labels depend on the community's name: see <see cref="RepoSettings.ClaYesLabel"/> and <see cref="RepoSettings.ClaNoLabel"/>.
/// </summary>
public static class Labels
{
    /// <summary>A reviewer looked at the pull request and is happy with it (<c>/lgtm</c>).</summary>
    public const string Lgtm = "lgtm";

    /// <summary>Approvers from OWNERS cover every changed file (<c>/approve</c>).</summary>
    public const string Approved = "approved";

    /// <summary>Someone asked not to merge yet (<c>/hold</c>).</summary>
    public const string Hold = "do-not-merge/hold";

    /// <summary>The author says the pull request is not finished.</summary>
    public const string WorkInProgress = "do-not-merge/work-in-progress";

    /// <summary>The pull request references no issue (<c>/check-issue</c>).</summary>
    public const string NeedsIssue = "needs-issue";

    /// <summary>The issue or pull request has no milestone (<c>/check-milestone</c>).</summary>
    public const string NeedsMilestone = "needs-milestone";

    /// <summary>The pull request conflicts with its base branch.</summary>
    public const string NeedsRebase = "needs-rebase";

    /// <summary>The pull request's author is not trusted; CI waits for <c>/ok-to-test</c>.</summary>
    public const string NeedsOkToTest = "needs-ok-to-test";

    /// <summary>A trusted member let CI run on an untrusted author's pull request (<c>/ok-to-test</c>).</summary>
    public const string OkToTest = "ok-to-test";

    /// <summary>What follows the community's name in the CLA labels: <c>&lt;community&gt;-cla/yes</c>, <c>&lt;community&gt;-cla/no</c>.</summary>
    public const string ClaSuffix = "-cla/";
}

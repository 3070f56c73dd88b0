namespace Forgeline.Bot.Plugins;

/// <summary>Every plugin, in the order they run on an event (merge automation last, so it sees what the others changed).</summary>
public static class BotPlugins
{
    /// <summary>The plugin types.</summary>
    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(Help.HelpPlugin),
        typeof(Lgtm.LgtmPlugin),
        typeof(Approve.ApprovePlugin),
        typeof(Assign.AssignPlugin),
        typeof(Collaborators.CollaboratorsPlugin),
        typeof(Hold.HoldPlugin),
        typeof(Label.LabelPlugin),
        typeof(Lifecycle.LifecyclePlugin),
        typeof(Cc.CcPlugin),
        typeof(Milestone.MilestonePlugin),
        typeof(IssueCheck.IssueCheckPlugin),
        typeof(Cla.ClaPlugin),
        typeof(Ci.CiPlugin),
        typeof(Merge.MergePlugin),
    ];
}

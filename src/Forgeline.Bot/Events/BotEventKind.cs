namespace Forgeline.Bot.Events;

/// <summary>What happened, the same for every forge.</summary>
public enum BotEventKind
{
    /// <summary>A comment on an issue or pull request was created, edited or deleted (<see cref="BotEvent.Action"/>).</summary>
    Comment,

    /// <summary>A pull request changed: opened, synchronized (new commits), closed, merged, reopened, labeled, unlabeled, edited.</summary>
    PullRequest,

    /// <summary>An issue changed: opened, closed, reopened, labeled, unlabeled, edited, milestoned.</summary>
    Issue,

    /// <summary>Commits were pushed to a branch or tag.</summary>
    Push,

    /// <summary>A CI result changed on a commit (a status, check run or pipeline).</summary>
    Status,

    /// <summary>A pull request review was submitted or dismissed.</summary>
    Review,

    /// <summary>The forge checks the hook works (GitHub's ping); nothing to do.</summary>
    Ping,
}

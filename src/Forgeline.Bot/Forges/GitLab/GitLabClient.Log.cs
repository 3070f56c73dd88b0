using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Forges.GitLab;

/// <summary>The GitLab client's log messages.</summary>
public sealed partial class GitLabClient
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "GitLab kept status {Context} of {Repo}@{Sha} as it was: it is already {State}")]
    private partial void LogStatusUnchanged(string repo, string sha, string context, CommitState state);
}

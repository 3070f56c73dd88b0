using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Jobs;

/// <summary>What a CI job tests: one head commit of one pull request.</summary>
/// <param name="Repo">The repository.</param>
/// <param name="Number">The pull request.</param>
/// <param name="HeadSha">The commit.</param>
/// <param name="CloneUrl">The repository's clone URL (https); farm jobs need it.</param>
public sealed record JobTarget(RepoRef Repo, int Number, string HeadSha, string? CloneUrl);

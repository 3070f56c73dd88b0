using Forgeline.Bot.Forges;

namespace Forgeline.Bot.State;

/// <summary>What the bot remembers about an issue or pull request beyond what the forge shows.</summary>
public interface IBotPullStore
{
    /// <summary>The state of <paramref name="number"/>; an empty one when the bot has none yet.</summary>
    Task<PullState> GetAsync(RepoRef repo, int number, CancellationToken cancellationToken);

    /// <summary>Changes the state of <paramref name="number"/> and stores it; returns the stored state.</summary>
    Task<PullState> UpdateAsync(RepoRef repo, int number, Func<PullState, PullState> change, CancellationToken cancellationToken);

    /// <summary>
    /// The pull requests whose remembered head (<see cref="PullState.HeadSha"/>) is <paramref name="sha"/>: how a status event,
    /// which names only a commit, finds its pull request.
    /// </summary>
    Task<IReadOnlyList<int>> FindByHeadAsync(RepoRef repo, string sha, CancellationToken cancellationToken);
}

/// <summary>The bot's memory of one issue or pull request.</summary>
/// <param name="Approvers">Logins that approved (lower case).</param>
/// <param name="Collaborators">Logins added with <c>/add-collaborator</c> (lower case).</param>
/// <param name="Trusted">Whether <c>/ok-to-test</c> made it trusted.</param>
/// <param name="HeadSha">The head commit last seen.</param>
/// <param name="MergeStatus">The merge status description last reported.</param>
public sealed record PullState(IReadOnlySet<string> Approvers, IReadOnlySet<string> Collaborators, bool Trusted, string? HeadSha, string? MergeStatus)
{
    /// <summary>Nothing remembered.</summary>
    public static PullState Empty { get; } = new(new HashSet<string>(), new HashSet<string>(), false, null, null);
}

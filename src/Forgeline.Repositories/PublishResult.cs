namespace Forgeline.Repositories;

/// <summary>What one <see cref="RepositoryPublisher.PublishAsync"/> did, for logs and the UI.</summary>
/// <param name="Generation">The metadata generation now served (1 for the first publish, then one more each time).</param>
/// <param name="Added">Packages that were not in the previous generation.</param>
/// <param name="Removed">Packages of the previous generation that are no longer in the repository.</param>
/// <param name="Total">Packages in the repository now.</param>
/// <param name="Elapsed">Wall-clock time of the whole publish, waiting for the lock included.</param>
/// <param name="RepomdSha256">The sha256 of the published <c>repodata/repomd.xml</c>.</param>
/// <param name="CleanupProblem">
/// Null when old generations and unused package files were removed; otherwise why not (the repository is published all
/// the same, and the next publish tries the cleanup again).
/// </param>
public sealed record PublishResult(long Generation, int Added, int Removed, int Total, TimeSpan Elapsed, string RepomdSha256, string? CleanupProblem);

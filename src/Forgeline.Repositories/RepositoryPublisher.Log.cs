using Microsoft.Extensions.Logging;

namespace Forgeline.Repositories;

/// <summary>Log messages of <see cref="RepositoryPublisher"/>.</summary>
public sealed partial class RepositoryPublisher
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Repository} generation {Generation}: {Added} added, {Removed} removed, {Total} packages, {ElapsedMs} ms")]
    private partial void LogPublished(string repository, long generation, int added, int removed, int total, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another publish of {Repository} to finish")]
    private partial void LogWaitingForLock(string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarding generation {Generation} of {Repository}, left by a publish that failed or was killed")]
    private partial void LogDiscarding(string repository, string generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up {Repository} failed; the next publish tries again")]
    private partial void LogCleanupFailed(string repository, Exception exception);
}

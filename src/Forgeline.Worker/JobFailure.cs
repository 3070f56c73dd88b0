using Forgeline.Core.Workers;

namespace Forgeline.Worker;

/// <summary>How a job that threw ends: <see cref="JobOutcome.Failed"/> when it is the package's fault, <see cref="JobOutcome.Error"/> when not.</summary>
public static class JobFailure
{
    /// <summary>The outcome and reason for <paramref name="exception"/>; <c>Unexpected</c> marks a bug or surprise worth an error log.</summary>
    public static (JobOutcome Outcome, string Reason, bool Unexpected) Classify(Exception exception) => exception switch
    {
        JobFailedException failed => (JobOutcome.Failed, failed.Message, false),
        JobErrorException error => (JobOutcome.Error, error.Message, false),
        _ when IsOutOfSpace(exception) => (JobOutcome.Error, $"the worker ran out of disk space: {exception.Message}", false),
        _ => (JobOutcome.Error, $"worker error: {exception.Message}", true),
    };

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is a write that found the disk full or the quota used up.</summary>
    public static bool IsOutOfSpace(Exception exception) => Core.OutOfSpace.Find(exception) is not null;
}

namespace Forgeline.Meetings.Platforms;

/// <summary>
/// A meeting platform refused or failed a call. The message says what happened without any credential;
/// <see cref="Retryable"/> says whether the same call may succeed later (rate limits, server errors) or needs a change.
/// </summary>
public sealed class MeetingPlatformException : Exception
{
    /// <summary>A failure that is not worth retrying.</summary>
    public MeetingPlatformException()
    {
    }

    /// <summary>A failure that is not worth retrying, described by <paramref name="message"/>.</summary>
    public MeetingPlatformException(string message) : base(message)
    {
    }

    /// <summary>A failure that is not worth retrying, caused by <paramref name="inner"/>.</summary>
    public MeetingPlatformException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, worth retrying when <paramref name="retryable"/>.</summary>
    public MeetingPlatformException(string message, bool retryable) : base(message) => Retryable = retryable;

    /// <summary>Whether the same call may succeed later.</summary>
    public bool Retryable { get; }

    /// <summary>How long the platform asked to wait before retrying, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

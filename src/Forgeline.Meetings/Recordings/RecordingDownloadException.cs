namespace Forgeline.Meetings.Recordings;

/// <summary>
/// A recording could not be downloaded. The message says what was wrong without any token; <see cref="Retryable"/>
/// says whether calling again may succeed (network errors, 5xx: the partial file is kept and the next call continues
/// it) or not (refused, wrong size or checksum, too large: the partial file is deleted).
/// </summary>
public sealed class RecordingDownloadException : Exception
{
    /// <summary>A failure that is not worth retrying.</summary>
    public RecordingDownloadException()
    {
    }

    /// <summary>A failure that is not worth retrying, described by <paramref name="message"/>.</summary>
    public RecordingDownloadException(string message) : base(message)
    {
    }

    /// <summary>A failure that is not worth retrying, caused by <paramref name="inner"/>.</summary>
    public RecordingDownloadException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, worth retrying when <paramref name="retryable"/>.</summary>
    public RecordingDownloadException(string message, bool retryable, Exception? inner = null) : base(message, inner) => Retryable = retryable;

    /// <summary>Whether calling again may succeed; the partial file is kept for it.</summary>
    public bool Retryable { get; }
}

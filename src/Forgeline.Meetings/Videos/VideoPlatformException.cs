namespace Forgeline.Meetings.Videos;

/// <summary>
/// A video platform refused or failed an upload. The message says what happened without any credential;
/// <see cref="Retryable"/> says whether publishing again may succeed (network errors, 5xx) or needs a change (a refused
/// credential, a used-up quota, bad metadata).
/// </summary>
public sealed class VideoPlatformException : Exception
{
    /// <summary>A failure that is not worth retrying.</summary>
    public VideoPlatformException()
    {
    }

    /// <summary>A failure that is not worth retrying, described by <paramref name="message"/>.</summary>
    public VideoPlatformException(string message) : base(message)
    {
    }

    /// <summary>A failure that is not worth retrying, caused by <paramref name="inner"/>.</summary>
    public VideoPlatformException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, worth retrying when <paramref name="retryable"/>.</summary>
    public VideoPlatformException(string message, bool retryable, Exception? inner = null) : base(message, inner) => Retryable = retryable;

    /// <summary>Whether publishing again may succeed.</summary>
    public bool Retryable { get; }
}

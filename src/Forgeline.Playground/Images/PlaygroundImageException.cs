namespace Forgeline.Playground.Images;

/// <summary>A playground image could not be built: the message says which step failed and why (e.g. dnf's reason, the setup script's last lines).</summary>
public sealed class PlaygroundImageException : Exception
{
    /// <summary>A failure with no further detail.</summary>
    public PlaygroundImageException()
    {
    }

    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public PlaygroundImageException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public PlaygroundImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

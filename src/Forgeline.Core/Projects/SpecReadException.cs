namespace Forgeline.Core.Projects;

/// <summary>
/// A spec could not be read. The message says what was wrong and what to do, with rpmspec's own error lines when
/// rpmspec refused the spec.
/// </summary>
public sealed class SpecReadException : Exception
{
    /// <summary>Creates one.</summary>
    public SpecReadException()
    {
    }

    /// <summary>Creates one with a message for people.</summary>
    public SpecReadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one with a message for people and its cause.</summary>
    public SpecReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates one; <paramref name="transient"/> when the package is not at fault.</summary>
    public SpecReadException(string message, bool transient)
        : base(message)
    {
        Transient = transient;
    }

    /// <summary>
    /// True when the failure is not the package's (the network failed during a git clone, the sandbox could not
    /// start): reading again later may succeed. False when the spec or sources are at fault.
    /// </summary>
    public bool Transient { get; }
}

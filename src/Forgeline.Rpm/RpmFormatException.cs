namespace Forgeline.Rpm;

/// <summary>Thrown when bytes are not a well-formed RPM package, lead or header; the message says what is wrong and where.</summary>
public sealed class RpmFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public RpmFormatException()
        : base("malformed RPM data")
    {
    }

    /// <summary>Creates the exception with a message describing the problem.</summary>
    public RpmFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public RpmFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

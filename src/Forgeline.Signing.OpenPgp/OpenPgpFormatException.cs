namespace Forgeline.Signing.OpenPgp;

/// <summary>Thrown when OpenPGP data (a key, an armored block, a signature packet) is malformed or uses a feature this library does not support. The message says what is wrong and what to do.</summary>
public sealed class OpenPgpFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public OpenPgpFormatException()
        : base("malformed OpenPGP data")
    {
    }

    /// <summary>Creates the exception with a message that describes the problem and its remedy.</summary>
    public OpenPgpFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public OpenPgpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

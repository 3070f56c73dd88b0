namespace Forgeline.Signing.OpenPgp;

/// <summary>Thrown when the signer refuses a request: a prepared signature it must not sign, a key that cannot sign now, a wrong passphrase. The message says what is wrong and what to do.</summary>
public sealed class OpenPgpRequestException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public OpenPgpRequestException()
        : base("the signing request was refused")
    {
    }

    /// <summary>Creates the exception with a message that describes the problem and its remedy.</summary>
    public OpenPgpRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public OpenPgpRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

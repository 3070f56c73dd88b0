namespace Forgeline.Signing.X509;

/// <summary>An expected failure (bad input, mismatched key, unsupported format); the message says what to do.</summary>
public sealed class X509SigningException : Exception
{
    /// <summary>Creates it with no message.</summary>
    public X509SigningException()
    {
    }

    /// <summary>Creates it with a message for the user.</summary>
    public X509SigningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates it with a message for the user and the underlying cause.</summary>
    public X509SigningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

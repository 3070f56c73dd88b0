namespace Forgeline.Meetings.Mail;

/// <summary>
/// A message that was not delivered to the mail server, with a message that says why (never a password) and whether
/// sending it again later may succeed: a refused connection, a timeout or a 4xx answer may; a 5xx answer, a failed
/// authentication or a TLS failure will not until someone changes something.
/// </summary>
public sealed class MailDeliveryException : Exception
{
    /// <summary>A failure that is not known to be temporary.</summary>
    public MailDeliveryException()
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, not known to be temporary.</summary>
    public MailDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/> caused by <paramref name="inner"/>, not known to be temporary.</summary>
    public MailDeliveryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>, temporary or not.</summary>
    public MailDeliveryException(string message, bool retryable, Exception? inner = null)
        : base(message, inner)
    {
        Retryable = retryable;
    }

    /// <summary>Whether sending the same message again later may succeed.</summary>
    public bool Retryable { get; }
}

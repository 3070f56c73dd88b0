namespace Forgeline.Bot.Webhooks;

/// <summary>
/// A delivery's body is not what its event promises: not JSON, not an object, or missing (or mistyping) a field the
/// event needs. The message names the forge, the event and the field, e.g.
/// <c>the GitHub 'issue_comment' payload has no 'comment.body' (a string)</c>.
/// </summary>
public sealed class WebhookFormatException : Exception
{
    /// <summary>A format error with no details.</summary>
    public WebhookFormatException()
        : base("the webhook payload is malformed")
    {
    }

    /// <summary>A format error described by <paramref name="message"/>.</summary>
    public WebhookFormatException(string message)
        : base(message)
    {
    }

    /// <summary>A format error described by <paramref name="message"/>, caused by <paramref name="innerException"/> (e.g. the JSON parser's error).</summary>
    public WebhookFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

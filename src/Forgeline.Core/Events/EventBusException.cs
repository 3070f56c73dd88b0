namespace Forgeline.Core.Events;

/// <summary>The event bus could not do what was asked: the broker is unreachable, refused the login, or refused a message.</summary>
public sealed class EventBusException : Exception
{
    /// <summary>Creates it with a message for the operator.</summary>
    public EventBusException(string message)
        : base(message)
    {
    }

    /// <summary>Creates it with a message for the operator and the underlying cause.</summary>
    public EventBusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates it without a message; prefer the constructors that say what went wrong.</summary>
    public EventBusException()
    {
    }
}

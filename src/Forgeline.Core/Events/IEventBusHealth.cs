namespace Forgeline.Core.Events;

/// <summary>Whether events can flow, for <c>/readyz</c> and for logs.</summary>
public interface IEventBusHealth
{
    /// <summary>True when events can flow: always for the in-process bus; for RabbitMQ while the connection is open.</summary>
    bool IsHealthy { get; }

    /// <summary>One line for people, such as <c>rabbitmq amqp://forgeline@mq:5672/prod: connected</c>; never holds a password.</summary>
    string Status { get; }

    /// <summary>Raised when <see cref="IsHealthy"/> changes, such as when the broker connection is lost or comes back.</summary>
    event EventHandler? HealthChanged;
}

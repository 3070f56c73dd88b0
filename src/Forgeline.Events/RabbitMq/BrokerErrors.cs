using System.Net.Sockets;
using System.Security.Authentication;
using Forgeline.Core.Events;
using RabbitMQ.Client.Exceptions;

namespace Forgeline.Events.RabbitMq;

/// <summary>Turns what RabbitMQ.Client throws into messages that say what is wrong and what to do, never with the password.</summary>
internal static class BrokerErrors
{
    private const ushort AccessRefused = 403;
    private const ushort NotAllowed = 530;
    private const ushort PreconditionFailed = 406;

    public static EventBusException ConnectFailed(BrokerSettings broker, Exception exception, TimeSpan timeout)
    {
        var causes = Chain(exception).ToList();
        var where = $"the RabbitMQ broker at {broker.Host}:{broker.Port} ({broker.Setting} = {broker})";
        string message;
        if (causes.OfType<AuthenticationFailureException>().Any() || ReplyCode(causes) == AccessRefused)
        {
            message = $"{where} refused user '{broker.UserName}': check the user name and password in {broker.Setting}";
        }
        else if (ReplyCode(causes) == NotAllowed)
        {
            message = $"{where} refused user '{broker.UserName}' on vhost '{broker.VirtualHost}': create the vhost (rabbitmqctl add_vhost) " +
                $"and give the user permissions on it (rabbitmqctl set_permissions), or name another vhost in {broker.Setting}";
        }
        else if (causes.OfType<AuthenticationException>().Any())
        {
            message = $"the TLS handshake with {where} failed: check that the broker listens for TLS on that port and that its certificate is trusted";
        }
        else if (causes.OfType<OperationCanceledException>().Any() || causes.OfType<TimeoutException>().Any())
        {
            message = $"{where} did not answer within {timeout.TotalSeconds:0.#}s: check that RabbitMQ is running there and reachable from this machine";
        }
        else
        {
            var socket = causes.OfType<SocketException>().FirstOrDefault();
            var reason = socket is not null ? socket.SocketErrorCode.ToString() : Scrub(Innermost(causes).Message, broker);
            message = $"cannot reach {where}: {reason}; check that RabbitMQ is running there and reachable from this machine";
        }

        return new EventBusException(message, exception);
    }

    /// <summary>The connection opened but setting up the exchange and the publisher channel failed.</summary>
    public static EventBusException SetupFailed(BrokerSettings broker, Exception exception, TimeSpan timeout)
    {
        var code = ReplyCode(Chain(exception));
        if (code == NotAllowed || IsConnectFailure(exception))
        {
            return ConnectFailed(broker, exception, timeout);
        }

        var where = $"the RabbitMQ broker at {broker.Host}:{broker.Port} ({broker.Setting} = {broker})";
        return new EventBusException(
            code == AccessRefused
                ? $"{where} does not let user '{broker.UserName}' declare the exchange '{RabbitMqEventBus.ExchangeName}' on vhost '{broker.VirtualHost}': " +
                  "give the user configure, write and read permissions there (rabbitmqctl set_permissions)"
                : $"{where} accepted the login but setting up the exchange '{RabbitMqEventBus.ExchangeName}' failed: {Scrub(Describe(exception), broker)}",
            exception);

        static bool IsConnectFailure(Exception e) => Chain(e).Any(c => c is AuthenticationFailureException or SocketException);
    }

    /// <summary>The broker took the connection but said no to a message (nack) or had no queue for it (return).</summary>
    public static EventBusException Refused(BrokerSettings broker, string what, PublishException exception) =>
        new(exception.IsReturn
                ? $"{what} was returned by the RabbitMQ broker at {broker.Host}:{broker.Port}: no queue takes it (was the queue deleted?)"
                : $"{what} was refused by the RabbitMQ broker at {broker.Host}:{broker.Port} (negative confirm): the queue may be full (max-length policy) or the broker low on disk or memory",
            exception);

    /// <summary>Whether the broker closed the channel because a declaration did not match what exists (406 PRECONDITION_FAILED).</summary>
    public static bool IsPreconditionFailed(OperationInterruptedException exception) => exception.ShutdownReason?.ReplyCode == PreconditionFailed;

    /// <summary>A work queue exists with settings Forgeline cannot use.</summary>
    public static EventBusException QueueMismatch(string queueName, OperationInterruptedException exception) =>
        new($"queue '{queueName}' exists on the broker with other settings ({exception.ShutdownReason?.ReplyText}); Forgeline needs a durable classic queue: delete it or use another name", exception);

    /// <summary>Whether <paramref name="exception"/> means the connection or channel went away, so waiting for recovery may help.</summary>
    public static bool IsConnectivity(Exception exception) =>
        exception is OperationInterruptedException or IOException or SocketException or ObjectDisposedException or TimeoutException;

    /// <summary>A short reason for logs, such as <c>CONNECTION_FORCED - Closed via management plugin</c>.</summary>
    public static string Describe(Exception exception) => exception is OperationInterruptedException { ShutdownReason: { } reason }
        ? $"{reason.ReplyCode} {reason.ReplyText}"
        : Innermost(Chain(exception).ToList()).Message;

    private static ushort? ReplyCode(IEnumerable<Exception> causes) =>
        causes.OfType<OperationInterruptedException>().Select(e => e.ShutdownReason?.ReplyCode).FirstOrDefault(c => c is not null);

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static Exception Innermost(IReadOnlyList<Exception> causes) => causes[^1];

    /// <summary>Our own texts never hold the password; this keeps it out of the client's texts we quote too.</summary>
    private static string Scrub(string message, BrokerSettings broker) =>
        broker.Password.Length > 0 ? message.Replace(broker.Password, "****", StringComparison.Ordinal) : message;
}

using Microsoft.Extensions.Logging;

namespace Forgeline.Events.RabbitMq;

public sealed partial class RabbitMqEventBus
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Event bus connected to {Broker} as {InstanceId}")]
    private partial void LogConnected(string broker, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event bus lost its connection to {Broker} ({ReplyCode} {ReplyText}); reconnecting every {IntervalSeconds}s")]
    private partial void LogConnectionLost(string broker, ushort replyCode, string replyText, double intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event bus reconnected to {Broker}; queues, bindings and consumers restored")]
    private partial void LogReconnected(string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event bus could not reconnect to {Broker} yet: {Reason}")]
    private partial void LogReconnectFailed(string broker, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event bus: {Operation} waits for the broker connection ({Reason})")]
    private partial void LogRetrying(string operation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event bus: closing the connection to {Broker} did not finish cleanly ({Reason})")]
    private partial void LogCloseIncomplete(string broker, string reason);
}

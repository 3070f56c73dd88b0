using System.Text;

namespace Forgeline.Events;

/// <summary>
/// The names both buses accept, checked the same way so code that works in-process also works on RabbitMQ: event kinds are
/// routing keys (no wildcards), queue names are RabbitMQ queue names that are not reserved.
/// </summary>
internal static class EventBusArguments
{
    public static void CheckKind(string kind, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind, parameter);
        if (kind.Length > 200 || !kind.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_'))
        {
            throw new ArgumentException($"event kind '{kind}' is not a lower-case dotted name (a-z, 0-9, '.', '-', '_', at most 200 characters)", parameter);
        }
    }

    public static void CheckKinds(IReadOnlyCollection<string> kinds, string parameter)
    {
        ArgumentNullException.ThrowIfNull(kinds, parameter);
        foreach (var kind in kinds)
        {
            CheckKind(kind, parameter);
        }
    }

    public static void CheckQueueName(string queueName, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName, parameter);
        if (Encoding.UTF8.GetByteCount(queueName) > 255 || queueName.StartsWith("amq.", StringComparison.Ordinal) || queueName.Any(char.IsControl))
        {
            throw new ArgumentException($"queue name '{queueName}' is not usable: at most 255 bytes, no control characters, not starting with 'amq.'", parameter);
        }
    }

    public static void CheckPrefetch(int prefetch, string parameter)
    {
        if (prefetch is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameter, prefetch, "prefetch is the number of messages a consumer handles at once: 1 to 65535");
        }
    }

    public static void CheckMessageId(string messageId, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId, parameter);
        if (messageId.Length > 255)
        {
            throw new ArgumentException("a message id is at most 255 characters", parameter);
        }
    }

    /// <summary>A name for this bus that is unique across processes and restarts and says where it runs.</summary>
    public static string NewInstanceId() => $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}

using System.Threading.Channels;

namespace Forgeline.Events.InProcess;

/// <summary>A work queue in memory: its consumers compete for the messages, each message is read by one of them.</summary>
internal sealed class MemoryWorkQueue(string name)
{
    private readonly Channel<MemoryMessage> messages = Channel.CreateUnbounded<MemoryMessage>();

    public string Name => name;

    public ChannelReader<MemoryMessage> Reader => messages.Reader;

    public void Add(MemoryMessage message) => messages.Writer.TryWrite(message);
}

/// <summary>A message in a <see cref="MemoryWorkQueue"/>; the body is the queue's own copy.</summary>
internal sealed record MemoryMessage(string MessageId, byte[] Body, bool Redelivered);

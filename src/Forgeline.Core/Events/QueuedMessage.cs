namespace Forgeline.Core.Events;

/// <summary>A work-queue message handed to one consumer by <see cref="IEventBus.ConsumeAsync"/>.</summary>
/// <param name="QueueName">The queue it came from.</param>
/// <param name="MessageId">The id the producer gave it; the same on every delivery, so a handler can skip work already done.</param>
/// <param name="Body">Its bytes. Valid only until the handler returns: copy them to keep them.</param>
/// <param name="Redelivered">True when an earlier delivery was not acknowledged (its handler failed or its consumer stopped or died).</param>
public sealed record QueuedMessage(string QueueName, string MessageId, ReadOnlyMemory<byte> Body, bool Redelivered);

using System.Runtime.CompilerServices;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter;

/// <summary>
/// Follows the outbox live for one viewer (the SSE endpoint): the events after a position, then each new one as it
/// commits, those the viewer may see and whose type matches. Resuming from a position (SSE <c>Last-Event-ID</c>) gives
/// exactly the events missed, since the outbox keeps them all in order.
/// </summary>
public sealed class EventStream(IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider time, IOptions<MessageCenterOptions> options)
{
    private const int BatchSize = 500;

    /// <summary>The newest event's position: a stream that starts now starts after it.</summary>
    public async Task<long> NewestAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await OutboxReader.NewestAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>(), cancellationToken);
    }

    /// <summary>The events after <paramref name="after"/> that <paramref name="viewer"/> may see and that match a pattern (any when none), until cancelled.</summary>
    public async IAsyncEnumerable<OutboxEventRecord> FollowAsync(
        EventViewer viewer, IReadOnlyList<string> patterns, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = after;
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            List<OutboxEventRecord> batch;
            await using (var scope = scopes.CreateAsyncScope())
            {
                batch = await OutboxReader.ReadAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>(), position, BatchSize, cancellationToken);
            }

            foreach (var e in batch)
            {
                position = e.Id;
                if (viewer.CanSee(e) && (patterns.Count == 0 || EventTypePattern.MatchesAny(patterns, e.Type)))
                {
                    yield return e;
                }
            }

            if (batch.Count < BatchSize)
            {
                await OutboxSignal.WaitAsync(woken, poll, time, cancellationToken);
            }
        }
    }
}

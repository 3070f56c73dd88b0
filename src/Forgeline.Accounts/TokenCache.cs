using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Forgeline.Data.Entities;

namespace Forgeline.Accounts;

/// <summary>
/// The active tokens this process verified lately, by the sha256 of their secret, so a worker's many calls per build do
/// not each cost a database query. Revocation stays instant: revoking or replacing a token here empties the cache before
/// the call returns, other replicas empty theirs when the <see cref="EventKinds.TokenRevoked"/> event reaches them over
/// the event bus, and while the bus is unhealthy (a replica could miss that event) nothing is cached at all. An entry
/// read from the database while a revocation happened is never kept (each entry carries the generation it was read in).
/// </summary>
/// <param name="time">The clock entries expire by.</param>
/// <param name="bus">The event bus's health; null when this process has no bus (then nothing is cached).</param>
public sealed class TokenCache(TimeProvider time, IEventBusHealth? bus = null)
{
    /// <summary>How long a verified token is trusted without asking the database again (the backstop if an event is lost).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Bounds memory when someone sends many distinct valid tokens; the cache is then simply started afresh.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>Changes at every revocation; pass what it was before reading the database to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref generation);

    private bool Enabled => bus?.IsHealthy == true;

    /// <summary>The cached token with this hash, or null when it must be read from the database.</summary>
    public ApiTokenRecord? Find(string hash)
    {
        if (Enabled && entries.TryGetValue(hash, out var entry) && entry.Generation == Generation && entry.Until > time.GetUtcNow())
        {
            return entry.Token;
        }

        return null;
    }

    /// <summary>Keeps <paramref name="token"/>, read from the database while <see cref="Generation"/> was <paramref name="readInGeneration"/>.</summary>
    public void Add(string hash, ApiTokenRecord token, long readInGeneration)
    {
        if (!Enabled || readInGeneration != Generation)
        {
            return;
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[hash] = new Entry(token, readInGeneration, time.GetUtcNow() + Lifetime);
    }

    /// <summary>Forgets every token: one was revoked or replaced, here or on another replica.</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    private sealed record Entry(ApiTokenRecord Token, long Generation, DateTimeOffset Until);
}

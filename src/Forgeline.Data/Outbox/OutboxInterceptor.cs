using System.Data.Common;
using System.Runtime.CompilerServices;
using Forgeline.Core.MessageCenter;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Forgeline.Data.Outbox;

/// <summary>
/// Keeps the outbox in step with the changes it describes:
/// <list type="bullet">
/// <item>every <see cref="BuildEventRecord"/> saved (queued, started, requeued, finished) gets its
/// <c>org.forgeline.build.*</c> event, written after the rows got their ids but before the transaction commits;</item>
/// <item>a save that writes events runs in a transaction (its caller's, or one of its own), and on PostgreSQL holds the
/// outbox's shared advisory lock, so a reader that takes the lock exclusively knows every lower id is committed
/// (<see cref="PostgresLockKey"/>);</item>
/// <item>after the commit it wakes this process's readers (<see cref="OutboxSignal"/>).</item>
/// </list>
/// </summary>
public sealed class OutboxInterceptor(OutboxSignal? signal = null) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The PostgreSQL advisory lock writers of the outbox hold shared ("ForgeOut" in ASCII).</summary>
    public const long PostgresLockKey = 0x466F7267654F7574;

    private readonly ConditionalWeakTable<DbContext, SaveState> states = new();

    /// <inheritdoc />
    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ForgelineDbContext db || states.GetOrCreateValue(db) is not { Nested: false } state)
        {
            return result;
        }

        var writesEvents = false;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            if (entry.Entity is BuildEventRecord buildEvent)
            {
                state.BuildEvents.Add(buildEvent);
                writesEvents = true;
            }
            else if (entry.Entity is OutboxEventRecord)
            {
                writesEvents = true;
            }
        }

        if (!writesEvents)
        {
            return result;
        }

        state.Wrote = true;
        if (db.Database.CurrentTransaction is null)
        {
            state.Own = await db.Database.BeginTransactionAsync(cancellationToken);
        }

        if (db.Database.IsPostgres())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock_shared({PostgresLockKey})", cancellationToken);
        }

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ForgelineDbContext db || !states.TryGetValue(db, out var state) || state.Nested)
        {
            return result;
        }

        if (state.BuildEvents.Count > 0)
        {
            var events = state.BuildEvents.ToList();
            state.BuildEvents.Clear();
            await BuildEventsOutbox.AddAsync(db, events, cancellationToken);
            state.Nested = true;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                state.Nested = false;
            }
        }

        if (state.Own is { } own)
        {
            state.Own = null;
            await using (own)
            {
                await own.CommitAsync(cancellationToken);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) => AbandonAsync(eventData.Context);

    /// <inheritdoc />
    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) => AbandonAsync(eventData.Context);

    // A failed save rolls back the transaction it began; the caller's own transaction is the caller's to roll back.
    private async Task AbandonAsync(DbContext? context)
    {
        if (context is ForgelineDbContext db && states.TryGetValue(db, out var state) && !state.Nested)
        {
            state.BuildEvents.Clear();
            if (state.Own is { } own)
            {
                state.Own = null;
                await own.DisposeAsync();
                state.Wrote = false;
            }
        }
    }

    /// <inheritdoc />
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        eventData.Context is ForgelineDbContext ? throw new NotSupportedException("Forgeline saves asynchronously: the outbox needs SaveChangesAsync") : result;

    /// <inheritdoc />
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && states.TryGetValue(db, out var state) && state.Wrote)
        {
            state.Wrote = false;
            signal?.Notify();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        TransactionCommittedAsync(transaction, eventData).GetAwaiter().GetResult();

    /// <inheritdoc />
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && states.TryGetValue(db, out var state))
        {
            state.Wrote = false;
            state.BuildEvents.Clear();
        }

        return Task.CompletedTask;
    }

    private sealed class SaveState
    {
        public List<BuildEventRecord> BuildEvents { get; } = [];

        public IDbContextTransaction? Own { get; set; }

        public bool Nested { get; set; }

        public bool Wrote { get; set; }
    }
}

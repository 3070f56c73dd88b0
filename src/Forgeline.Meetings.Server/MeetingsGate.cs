using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Meetings.Server;

/// <summary>
/// One booking or change at a time, so two requests cannot both pass the conflict check for the same hour: a lock in
/// this process and, on PostgreSQL, an advisory lock held on the request's connection while it books, which replicas
/// behind the same database share.
/// </summary>
public sealed class MeetingsGate : IDisposable
{
    /// <summary>The PostgreSQL advisory lock of bookings, the same on every replica ("ForgBook").</summary>
    public const long LockKey = 0x466f7267_426f6f6b;

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the gate with <paramref name="db"/>'s connection; disposing the answer opens it again.</summary>
    public async Task<IAsyncDisposable> EnterAsync(ForgelineDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await gate.WaitAsync(cancellationToken);
        if (!db.Database.IsPostgres())
        {
            return new Held(this, null);
        }

        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            return new Held(this, db);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    private sealed class Held(MeetingsGate owner, ForgelineDbContext? db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (db is not null)
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
                    await db.Database.CloseConnectionAsync();
                }
            }
            finally
            {
                owner.gate.Release();
            }
        }
    }
}

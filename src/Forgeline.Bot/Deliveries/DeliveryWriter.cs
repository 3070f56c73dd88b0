using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Forgeline.Bot.Deliveries;

/// <summary>
/// Stores deliveries with group commit: requests wait in a channel and one writer inserts everything waiting in one
/// transaction, so thousands of deliveries a second cost a few hundred commits. A delivery's task completes only after its
/// transaction committed — the webhook answers 202 after that, never before. The insert ignores a (forge, delivery id) that
/// is already stored, so a repeated delivery is stored once and reported as a duplicate.
/// </summary>
public sealed class DeliveryWriter(IServiceScopeFactory scopes) : BackgroundService
{
    private const int MaxBatch = 512;

    private readonly Channel<(StoredDelivery Delivery, TaskCompletionSource<long?> Done)> waiting =
        Channel.CreateUnbounded<(StoredDelivery, TaskCompletionSource<long?>)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stores <paramref name="delivery"/>; its row id, or null when the same forge and delivery id were already stored.</summary>
    public async Task<long?> StoreAsync(StoredDelivery delivery, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await waiting.Writer.WriteAsync((delivery, done), cancellationToken);
        return await done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(StoredDelivery Delivery, TaskCompletionSource<long?> Done)>(MaxBatch);
        try
        {
            while (await waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    var ids = await InsertAsync(batch, stoppingToken);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(ids[i]);
                    }
                }
                catch (Exception e)
                {
                    foreach (var (_, done) in batch)
                    {
                        done.TrySetException(e);
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            // Whoever still waits at shutdown gets an error (the forge retries or redelivers), never a false 202.
            while (waiting.Reader.TryRead(out var item))
            {
                item.Done.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task<long?[]> InsertAsync(List<(StoredDelivery Delivery, TaskCompletionSource<long?> Done)> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "bot_deliveries" ("Forge", "DeliveryId", "Event", "Body", "ReceivedAt", "State", "Attempts", "Error")
            VALUES (@forge, @delivery, @event, @body, @received, @state, 0, @error)
            ON CONFLICT ("Forge", "DeliveryId") DO NOTHING
            RETURNING "Id"
            """;
        var forge = Parameter(command, "@forge", DbType.String);
        var delivery = Parameter(command, "@delivery", DbType.String);
        var eventName = Parameter(command, "@event", DbType.String);
        var body = Parameter(command, "@body", DbType.Binary);
        // No DbType: Npgsql picks timestamptz for a UTC DateTime, SQLite stores the text EF Core reads back.
        var received = Parameter(command, "@received", null);
        var state = Parameter(command, "@state", DbType.String);
        var error = Parameter(command, "@error", DbType.String);
        var ids = new long?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var d = batch[i].Delivery;
            forge.Value = d.Forge;
            delivery.Value = d.DeliveryId;
            eventName.Value = d.Event;
            body.Value = (object?)d.Body ?? DBNull.Value;
            received.Value = DateTime.SpecifyKind(d.ReceivedAt, DateTimeKind.Utc);
            state.Value = d.State;
            error.Value = (object?)d.Error ?? DBNull.Value;
            ids[i] = await command.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } known)
        {
            parameter.DbType = known;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }
}

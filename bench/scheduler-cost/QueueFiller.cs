using Forgeline.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// Writes queued build rows straight into the <c>builds</c> table: one transaction of prepared inserts on SQLite, binary
/// COPY on PostgreSQL. The rows have every column a queued build has, but their sources were never uploaded: nothing
/// runs them, the benchmark only claims them.
/// </summary>
internal static class QueueFiller
{
    private const string Columns = "\"State\", \"Owner\", \"SourceKind\", \"SourceBlob\", \"SourceFileName\", \"Package\", \"Arch\", \"SubmittedAt\", \"QueuedAt\", \"Attempt\", \"CancelRequested\", \"Priority\", \"Labels\"";

    /// <summary>The owner of the <paramref name="index"/>th build: owners take turns, so each has the same number.</summary>
    public static string OwnerOf(int index, int owners) => $"owner-{index % owners:D4}";

    /// <summary>When the <paramref name="index"/>th build was submitted: the queue built up over the last day, oldest first.</summary>
    public static DateTime SubmittedAt(int index, int count, DateTime now) => now.AddDays(-1).AddTicks(TimeSpan.FromDays(1).Ticks / count * index);

    /// <summary>Inserts <paramref name="count"/> queued builds of <paramref name="owners"/> owners.</summary>
    public static async Task FillAsync(ForgelineDbContext db, int count, int owners, DateTime now)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, count, owners, now);
            // As autovacuum would soon after a bulk load; without statistics the planner guesses.
            await using var analyze = new NpgsqlCommand("ANALYZE builds", postgres);
            await analyze.ExecuteNonQueryAsync();
        }
        else
        {
            await InsertAsync((SqliteConnection)connection, count, owners, now);
        }
    }

    private static async Task InsertAsync(SqliteConnection connection, int count, int owners, DateTime now)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO builds ({Columns}) VALUES ('Queued', $owner, 'Srpm', $blob, 'bench-1.0-1.src.rpm', 'bench-1.0-1', 'x86_64', $at, $at, 0, 0, 'Normal', '')";
        var owner = insert.Parameters.Add("$owner", SqliteType.Text);
        var blob = insert.Parameters.Add("$blob", SqliteType.Text);
        // Bound as EF Core stores times on SQLite: 'yyyy-MM-dd HH:mm:ss.FFFFFFF' text.
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        await insert.PrepareAsync();
        for (var i = 0; i < count; i++)
        {
            owner.Value = OwnerOf(i, owners);
            blob.Value = Blob(i);
            at.Value = SubmittedAt(i, count, now);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task CopyAsync(NpgsqlConnection connection, int count, int owners, DateTime now)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY builds ({Columns}) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < count; i++)
        {
            var at = SubmittedAt(i, count, now);
            await writer.StartRowAsync();
            await writer.WriteAsync("Queued", NpgsqlDbType.Varchar);
            await writer.WriteAsync(OwnerOf(i, owners), NpgsqlDbType.Varchar);
            await writer.WriteAsync("Srpm", NpgsqlDbType.Varchar);
            await writer.WriteAsync(Blob(i), NpgsqlDbType.Text);
            await writer.WriteAsync("bench-1.0-1.src.rpm", NpgsqlDbType.Text);
            await writer.WriteAsync("bench-1.0-1", NpgsqlDbType.Text);
            await writer.WriteAsync("x86_64", NpgsqlDbType.Varchar);
            await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(0, NpgsqlDbType.Integer);
            await writer.WriteAsync(false, NpgsqlDbType.Boolean);
            await writer.WriteAsync("Normal", NpgsqlDbType.Varchar);
            await writer.WriteAsync("", NpgsqlDbType.Text);
        }

        await writer.CompleteAsync();
    }

    // A digest-shaped value per build; no blob with it exists.
    private static string Blob(int index) => index.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}

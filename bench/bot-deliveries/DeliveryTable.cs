using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Forgeline.BotDeliveries;

/// <summary>
/// Reads the server's <c>bot_deliveries</c> (read-only, beside the running server: SQLite in WAL mode lets a reader in
/// without blocking the writer): how many deliveries of a replay are stored and in which state, and when processing
/// ended. Counting uses the (State, Id) index only, so polling does not read the stored bodies.
/// </summary>
internal sealed class DeliveryTable(string databaseFile)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

    /// <summary>The highest row id so far (0 when empty): rows of the next replay are above it.</summary>
    public async Task<long> MaxIdAsync() => await ScalarAsync<long?>("""SELECT MAX("Id") FROM "bot_deliveries" """) ?? 0;

    /// <summary>Rows above <paramref name="afterId"/> by state.</summary>
    public async Task<IReadOnlyDictionary<string, int>> StatesAsync(long afterId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "State", COUNT(*) FROM "bot_deliveries" WHERE "Id" > $after GROUP BY "State" """;
        command.Parameters.AddWithValue("$after", afterId);
        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt32(1);
        }

        return states;
    }

    /// <summary>Waits until the <paramref name="expected"/> rows above <paramref name="afterId"/> are all done or failed; prints progress.</summary>
    public async Task<IReadOnlyDictionary<string, int>> WaitProcessedAsync(long afterId, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = DateTime.UtcNow;
        while (true)
        {
            var states = await StatesAsync(afterId);
            var stored = states.Values.Sum();
            var open = states.GetValueOrDefault("pending") + states.GetValueOrDefault("processing");
            if (stored >= expected && open == 0)
            {
                return states;
            }

            if (DateTime.UtcNow > deadline)
            {
                Console.WriteLine($"  gave up waiting after {timeout.TotalMinutes:0} min: {Describe(states)}");
                return states;
            }

            if (DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"  processing: {Describe(states)}");
                lastPrint = DateTime.UtcNow;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The first arrival and the last end of processing among rows above <paramref name="afterId"/> (UTC).</summary>
    public async Task<(DateTime FirstReceived, DateTime LastFinished)> SpanAsync(long afterId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT MIN("ReceivedAt"), MAX("FinishedAt") FROM "bot_deliveries" WHERE "Id" > $after""";
        command.Parameters.AddWithValue("$after", afterId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Utc(reader.GetString(0)), Utc(reader.GetString(1)));
    }

    /// <summary>The most frequent errors recorded on rows above <paramref name="afterId"/>, e.g. <c>"push: …" x5000</c>.</summary>
    public async Task<IReadOnlyList<string>> ErrorsAsync(long afterId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT "Error", COUNT(*) FROM "bot_deliveries" WHERE "Id" > $after AND "Error" IS NOT NULL
            GROUP BY "Error" ORDER BY COUNT(*) DESC LIMIT 5
            """;
        command.Parameters.AddWithValue("$after", afterId);
        var errors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            errors.Add($"\"{reader.GetString(0)}\" x{reader.GetInt32(1)}");
        }

        return errors;
    }

    /// <summary>e.g. <c>done 19000, pending 1000</c>.</summary>
    public static string Describe(IReadOnlyDictionary<string, int> states) =>
        states.Count == 0 ? "nothing stored yet" : string.Join(", ", states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));

    private async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static DateTime Utc(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

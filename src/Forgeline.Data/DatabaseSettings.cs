using Microsoft.Data.Sqlite;
using Npgsql;

namespace Forgeline.Data;

/// <summary>
/// Where Forgeline keeps its state, from <c>FORGELINE_DATABASE</c> (or the configuration key <c>Forgeline:Database</c>):
/// <c>postgres://USER:PASSWORD@HOST[:PORT]/DATABASE[?sslmode=require]</c>, <c>sqlite:///ABSOLUTE/PATH</c>, or empty
/// for the SQLite file under the data directory. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class DatabaseSettings
{
    /// <summary>The environment variable that selects the database.</summary>
    public const string EnvironmentVariable = "FORGELINE_DATABASE";

    /// <summary>The configuration key read when the environment variable is not set (env <c>Forgeline__Database</c>).</summary>
    public const string ConfigurationKey = "Forgeline:Database";

    /// <summary>The forms a setting may take, for error messages.</summary>
    public const string ExpectedForms =
        "postgres://USER:PASSWORD@HOST[:PORT]/DATABASE[?sslmode=require] (postgresql:// too; percent-encode special characters " +
        "in USER and PASSWORD), sqlite:///ABSOLUTE/PATH, or empty for the SQLite file under the data directory";

    private DatabaseSettings(DatabaseEngine engine, string connectionString, string description, string? filePath)
    {
        Engine = engine;
        ConnectionString = connectionString;
        Description = description;
        FilePath = filePath;
    }

    /// <summary>The engine.</summary>
    public DatabaseEngine Engine { get; }

    /// <summary>True on PostgreSQL, for the few places that need provider-specific SQL.</summary>
    public bool IsPostgres => Engine == DatabaseEngine.Postgres;

    /// <summary>The ADO.NET connection string. It may hold a password: log <see cref="Description"/> instead.</summary>
    public string ConnectionString { get; }

    /// <summary>Engine and location without credentials, e.g. <c>PostgreSQL database forgeline on db:5432 as forgeline</c>.</summary>
    public string Description { get; }

    /// <summary>The SQLite file; null on PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>SQLite at <paramref name="path"/>.</summary>
    public static DatabaseSettings Sqlite(string path)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 };
        return new DatabaseSettings(DatabaseEngine.Sqlite, connection.ToString(), $"SQLite {path}", path);
    }

    /// <summary>PostgreSQL with an Npgsql connection string (<c>Host=…;Database=…;Username=…</c>).</summary>
    public static DatabaseSettings Postgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : $" as {builder.Username}";
        return new DatabaseSettings(DatabaseEngine.Postgres, builder.ConnectionString, $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}{user}", null);
    }

    /// <summary>
    /// Reads a <c>FORGELINE_DATABASE</c> value; empty means SQLite at <paramref name="defaultSqlitePath"/>. A value that is
    /// not one of the <see cref="ExpectedForms"/> gives a problem that says what is wrong, never quoting the password.
    /// </summary>
    public static (DatabaseSettings? Settings, string? Problem) Parse(string? value, string defaultSqlitePath)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (Sqlite(defaultSqlitePath), null);
        }

        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var (connectionString, problem) = PostgresUrl.ToConnectionString(value);
            return connectionString is null ? (null, Explain(problem!)) : (Postgres(connectionString), null);
        }

        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value["sqlite:".Length..];
            if (!rest.StartsWith("///", StringComparison.Ordinal) || rest.Length == 3)
            {
                return (null, Explain("a sqlite URL needs an absolute path after three slashes, e.g. sqlite:///var/lib/forgeline/forgeline.db"));
            }

            return (Sqlite(Uri.UnescapeDataString(rest[2..])), null);
        }

        // No part of the value is echoed: whatever it is, it may hold a password.
        return (null, Explain("is neither a postgres:// nor a sqlite:// URL"));
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static string Explain(string problem) => $"{EnvironmentVariable} {problem}; expected {ExpectedForms}";
}

namespace Forgeline.Data;

/// <summary>The database engines Forgeline keeps its state in; both run the same migrations.</summary>
public enum DatabaseEngine
{
    /// <summary>A SQLite file under the data directory: one machine, zero setup.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several server replicas, backups and failover by the usual PostgreSQL tools.</summary>
    Postgres,
}

using Microsoft.Data.Sqlite;
using Npgsql;

namespace Forgeline.Data.Storage;

/// <summary>Recognises the failures that mean "out of space", whichever layer threw them.</summary>
public static class StorageFailure
{
    /// <summary>What ran out of space.</summary>
    public enum Kind
    {
        /// <summary>A file the server wrote (a store under the data directory).</summary>
        Disk,

        /// <summary>The database (SQLite's <c>SQLITE_FULL</c>, PostgreSQL's <c>disk_full</c>).</summary>
        Database,
    }

    /// <summary>The out-of-space failure in <paramref name="exception"/> or its inner exceptions, or null when there is none.</summary>
    /// <returns>The kind and, for a file, the message of the I/O error (which names the file).</returns>
    public static (Kind Kind, string Message)? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 13 } or PostgresException { SqlState: PostgresErrorCodes.DiskFull })
            {
                return (Kind.Database, e.Message);
            }
        }

        return Core.OutOfSpace.Find(exception) is { } io ? (Kind.Disk, io.Message) : null;
    }
}

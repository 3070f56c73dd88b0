using Microsoft.Data.Sqlite;
using Npgsql;

namespace Forgeline.Data.Storage;

/// <summary>Recognises the failures that mean "out of space", whichever layer threw them.</summary>
public static class StorageFailure
{
    // errno on Linux (ENOSPC, EDQUOT) and the Windows codes .NET uses (ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL).
    private static readonly int[] DiskFullCodes = [28, 122, 0x27, 0x70];

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
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 13 }:
                case PostgresException { SqlState: PostgresErrorCodes.DiskFull }:
                    return (Kind.Database, e.Message);
                case IOException io when DiskFullCodes.Contains(io.HResult & 0xFFFF):
                    return (Kind.Disk, io.Message);
                default:
                    break;
            }
        }

        return null;
    }
}

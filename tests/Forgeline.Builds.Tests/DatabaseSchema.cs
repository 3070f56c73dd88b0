using System.Data.Common;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds.Tests;

/// <summary>The schema a database really has, read from its own catalog (SQLite pragmas, PostgreSQL's pg_catalog).</summary>
internal static class DatabaseSchema
{
    /// <summary>A column: its type as the engine names it, whether it is NOT NULL, whether the database generates it (identity).</summary>
    public sealed record Column(string Name, string Type, bool NotNull, bool Generated);

    /// <summary>An index and its columns in order.</summary>
    public sealed record Index(string Name, bool Unique, string Columns);

    /// <summary>The columns of <paramref name="table"/>.</summary>
    public static async Task<List<Column>> ColumnsAsync(ForgelineDbContext db, string table)
    {
        if (db.Database.IsPostgres())
        {
            return await QueryAsync(db, table, """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity = 'd'
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = @table AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """, r => new Column(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3)));
        }

        // SQLite generates a rowid alias; Forgeline asks for AUTOINCREMENT so ids are never reused.
        var autoincrement = (await QueryAsync(db, table, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = @table", r => r.GetString(0)))
            .Single().Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
        return await QueryAsync(db, table, """SELECT name, type, "notnull", pk FROM pragma_table_info(@table) ORDER BY cid""",
            r => new Column(r.GetString(0), r.GetString(1), r.GetInt64(2) == 1, autoincrement && r.GetInt64(3) == 1));
    }

    /// <summary>The indexes of <paramref name="table"/>, primary keys included.</summary>
    public static async Task<List<Index>> IndexesAsync(ForgelineDbContext db, string table)
    {
        var rows = db.Database.IsPostgres()
            ? await QueryAsync(db, table, """
                SELECT i.relname, ix.indisunique, a.attname
                FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE t.relname = @table AND n.nspname = current_schema()
                ORDER BY i.relname, k.ord
                """, r => (Name: r.GetString(0), Unique: r.GetBoolean(1), Column: r.GetString(2)))
            : await QueryAsync(db, table, """
                SELECT il.name, il."unique", ii.name
                FROM pragma_index_list(@table) AS il JOIN pragma_index_info(il.name) AS ii
                ORDER BY il.name, ii.seqno
                """, r => (Name: r.GetString(0), Unique: r.GetInt64(1) == 1, Column: r.GetString(2)));
        return rows.GroupBy(r => (r.Name, r.Unique)).Select(g => new Index(g.Key.Name, g.Key.Unique, string.Join(",", g.Select(r => r.Column)))).ToList();
    }

    private static async Task<List<T>> QueryAsync<T>(ForgelineDbContext db, string table, string sql, Func<DbDataReader, T> read)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@table";
            parameter.Value = table;
            command.Parameters.Add(parameter);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

using Forgeline.Data.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Forgeline.Data;

/// <summary>Builds the EF Core options for a Forgeline database from its connection setting.</summary>
public static class ForgelineDatabase
{
    /// <summary>Configures <paramref name="builder"/> for the database <paramref name="settings"/> name, SQLite or PostgreSQL.</summary>
    /// <param name="builder">The options to configure.</param>
    /// <param name="settings">The database.</param>
    /// <param name="outboxSignal">Woken when events are committed; readers in this process then need not poll.</param>
    public static TBuilder UseForgelineDatabase<TBuilder>(this TBuilder builder, DatabaseSettings settings, OutboxSignal? outboxSignal = null)
        where TBuilder : DbContextOptionsBuilder
    {
        if (settings.IsPostgres)
        {
            builder.UseNpgsql(settings.ConnectionString);
        }
        else
        {
            builder.UseSqlite(settings.ConnectionString).AddInterceptors(new SqlitePragmas());
        }

        builder.AddInterceptors(new OutboxInterceptor(outboxSignal));
        // Migrations are written by hand (no design-time tooling here), so there is no model snapshot to compare with.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder;
    }

    /// <summary>Configures <paramref name="builder"/> for SQLite at <paramref name="sqlitePath"/>.</summary>
    public static TBuilder UseForgelineSqlite<TBuilder>(this TBuilder builder, string sqlitePath)
        where TBuilder : DbContextOptionsBuilder =>
        builder.UseForgelineDatabase(DatabaseSettings.Sqlite(sqlitePath));

    // What IsNpgsql() compares the provider name with; it reads it from the assembly by reflection on every call, which
    // showed in the cost of every build claim.
    private static readonly string NpgsqlProviderName = typeof(NpgsqlDbContextOptionsBuilderExtensions).Assembly.GetName().Name!;

    /// <summary>True when the context runs on PostgreSQL, for the few places that need provider-specific SQL.</summary>
    public static bool IsPostgres(this DatabaseFacade database) => database.ProviderName == NpgsqlProviderName;
}

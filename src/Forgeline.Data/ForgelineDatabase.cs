using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forgeline.Data;

/// <summary>Builds the EF Core options for a Forgeline database from its connection setting.</summary>
public static class ForgelineDatabase
{
    /// <summary>Configures <paramref name="builder"/> for SQLite at <paramref name="sqlitePath"/>.</summary>
    public static TBuilder UseForgelineSqlite<TBuilder>(this TBuilder builder, string sqlitePath)
        where TBuilder : DbContextOptionsBuilder
    {
        builder
            .UseSqlite($"Data Source={sqlitePath};Pooling=True;Default Timeout=30")
            .AddInterceptors(new SqlitePragmas())
            // Migrations are written by hand (no design-time tooling here), so there is no model snapshot to compare with.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder;
    }
}

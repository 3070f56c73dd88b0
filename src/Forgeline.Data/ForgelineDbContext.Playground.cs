using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>The playground's table: its environments (sessions live on their hosts, not in the database).</summary>
public sealed partial class ForgelineDbContext
{
    /// <summary>Playground environments.</summary>
    public DbSet<PlaygroundEnvironmentRecord> PlaygroundEnvironments => Set<PlaygroundEnvironmentRecord>();

    private static void ConfigurePlayground(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<PlaygroundEnvironmentRecord>(e =>
        {
            e.ToTable("playground_environments");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.ImageDigest).HasMaxLength(64);
        });
}

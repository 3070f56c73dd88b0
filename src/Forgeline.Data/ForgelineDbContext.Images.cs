using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>Image CI's tables: definitions, test plans, image builds, runs and their VM jobs.</summary>
public sealed partial class ForgelineDbContext
{
    /// <summary>Image definitions.</summary>
    public DbSet<ImageDefinitionRecord> ImageDefinitions => Set<ImageDefinitionRecord>();

    /// <summary>Test plans.</summary>
    public DbSet<ImagePlanRecord> ImagePlans => Set<ImagePlanRecord>();

    /// <summary>Image builds.</summary>
    public DbSet<ImageBuildRecord> ImageBuilds => Set<ImageBuildRecord>();

    /// <summary>Test plan runs.</summary>
    public DbSet<ImageRunRecord> ImageRuns => Set<ImageRunRecord>();

    /// <summary>The VM jobs of runs.</summary>
    public DbSet<ImageRunJobRecord> ImageRunJobs => Set<ImageRunJobRecord>();

    private static void ConfigureImages(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ImageDefinitionRecord>(e =>
        {
            e.ToTable("image_definitions");
            e.HasIndex(x => new { x.Project, x.Name }).IsUnique();
            e.Property(x => x.Project).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(64);
        });
        modelBuilder.Entity<ImagePlanRecord>(e =>
        {
            e.ToTable("image_plans");
            e.HasIndex(x => new { x.Project, x.Name }).IsUnique();
            e.Property(x => x.Project).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.TriggerTokenSha256).HasMaxLength(64);
        });
        modelBuilder.Entity<ImageBuildRecord>(e =>
        {
            e.ToTable("image_builds");
            e.HasIndex(x => new { x.Project, x.Image });
            e.HasIndex(x => x.State);
        });
        modelBuilder.Entity<ImageRunRecord>(e =>
        {
            e.ToTable("image_runs");
            e.HasIndex(x => new { x.Project, x.Plan });
            e.HasIndex(x => x.State);
        });
        modelBuilder.Entity<ImageRunJobRecord>(e =>
        {
            e.ToTable("image_run_jobs");
            e.HasIndex(x => x.RunId);
            e.HasIndex(x => x.BuildId);
        });
    }
}

using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Forgeline.Data;

/// <summary>The EF Core context of Forgeline's state. The schema comes from the hand-written migrations in <c>Migrations/</c>.</summary>
public sealed partial class ForgelineDbContext(DbContextOptions<ForgelineDbContext> options) : DbContext(options)
{
    /// <summary>Builds.</summary>
    public DbSet<BuildRecord> Builds => Set<BuildRecord>();

    /// <summary>Build artifacts.</summary>
    public DbSet<ArtifactRecord> Artifacts => Set<ArtifactRecord>();

    /// <summary>Workers.</summary>
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();

    /// <summary>The history of every build.</summary>
    public DbSet<BuildEventRecord> BuildEvents => Set<BuildEventRecord>();

    /// <summary>Build targets made through the API.</summary>
    public DbSet<BuildTargetRecord> BuildTargets => Set<BuildTargetRecord>();

    /// <summary>Owner weights.</summary>
    public DbSet<OwnerRecord> Owners => Set<OwnerRecord>();

    /// <summary>Projects.</summary>
    public DbSet<ProjectRecord> Projects => Set<ProjectRecord>();

    /// <summary>Project members.</summary>
    public DbSet<ProjectMemberRecord> ProjectMembers => Set<ProjectMemberRecord>();

    /// <summary>Packages of projects.</summary>
    public DbSet<ProjectPackageRecord> ProjectPackages => Set<ProjectPackageRecord>();

    /// <summary>Packages built together in dependency order.</summary>
    public DbSet<BatchRecord> Batches => Set<BatchRecord>();

    /// <summary>One package of a batch for one chroot.</summary>
    public DbSet<BatchEntryRecord> BatchEntries => Set<BatchEntryRecord>();

    /// <summary>Signed RPMs that belong in projects' repositories.</summary>
    public DbSet<RepositoryPackageRecord> RepositoryPackages => Set<RepositoryPackageRecord>();

    /// <summary>What was last published per project and chroot.</summary>
    public DbSet<RepositoryRecord> Repositories => Set<RepositoryRecord>();

    /// <summary>Webhook deliveries the review bot received.</summary>
    public DbSet<BotDeliveryRecord> BotDeliveries => Set<BotDeliveryRecord>();

    /// <summary>What each bot plugin did with each delivery.</summary>
    public DbSet<BotPluginRunRecord> BotPluginRuns => Set<BotPluginRunRecord>();

    /// <summary>What the bot remembers per pull request or issue.</summary>
    public DbSet<BotPullRecord> BotPulls => Set<BotPullRecord>();

    /// <summary>CI job runs started by the bot.</summary>
    public DbSet<BotJobRunRecord> BotJobRuns => Set<BotJobRunRecord>();

    /// <summary>API tokens.</summary>
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    /// <summary>Signing keys.</summary>
    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    /// <summary>The signature audit trail.</summary>
    public DbSet<SignatureRecord> Signatures => Set<SignatureRecord>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time Forgeline stores is UTC. SQLite hands DateTime back with Kind=Unspecified, and Npgsql writes only
        // Kind=Utc to its 'timestamp with time zone' columns: the converter makes both sides agree.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BuildRecord>(b =>
        {
            b.ToTable("builds");
            b.HasKey(x => x.Id);
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.SourceKind).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.Owner).HasMaxLength(128);
            b.Property(x => x.Arch).HasMaxLength(32);
            b.Property(x => x.Priority).HasConversion<string>().HasMaxLength(8);
            b.HasIndex(x => new { x.State, x.Id });
            b.HasIndex(x => new { x.State, x.QueuedAt });
            b.HasIndex(x => x.InputDigest);
            b.HasIndex(x => x.LeaseId).IsUnique();
            b.HasMany(x => x.Artifacts).WithOne().HasForeignKey(a => a.BuildId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(x => x.Events).WithOne().HasForeignKey(e => e.BuildId).OnDelete(DeleteBehavior.Cascade);
            b.Ignore(x => x.Source);
            b.HasIndex(x => x.ProjectId);
            b.Property(x => x.Origin).HasMaxLength(200);
            b.HasIndex(x => x.Origin).IsUnique();
            b.Property(x => x.Target).HasMaxLength(64);
        });
        modelBuilder.Entity<BuildTargetRecord>(t =>
        {
            t.ToTable("build_targets");
            t.HasKey(x => x.Name);
            t.Property(x => x.Name).HasMaxLength(64);
            t.Property(x => x.Arch).HasMaxLength(32);
        });
        modelBuilder.Entity<ProjectRecord>(p =>
        {
            p.ToTable("projects");
            p.HasKey(x => x.Id);
            p.Property(x => x.Name).HasMaxLength(64);
            p.Property(x => x.Owner).HasMaxLength(128);
            p.Property(x => x.MissingDependencies).HasMaxLength(8);
            p.HasIndex(x => x.Name).IsUnique();
            p.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
            p.Ignore(x => x.ChrootList);
        });
        modelBuilder.Entity<ProjectMemberRecord>(m =>
        {
            m.ToTable("project_members");
            m.HasKey(x => new { x.ProjectId, x.Principal });
            m.Property(x => x.Principal).HasMaxLength(128);
            m.Property(x => x.Role).HasMaxLength(16);
        });
        modelBuilder.Entity<ProjectPackageRecord>(p =>
        {
            p.ToTable("project_packages");
            p.HasKey(x => x.Id);
            p.Property(x => x.Name).HasMaxLength(64);
            p.Property(x => x.SourceKind).HasConversion<string>().HasMaxLength(16);
            p.HasIndex(x => new { x.ProjectId, x.Name }).IsUnique();
            p.HasOne<ProjectRecord>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            p.Ignore(x => x.Source);
        });
        modelBuilder.Entity<BatchRecord>(b =>
        {
            b.ToTable("project_batches");
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.ProjectId, x.Id });
            b.HasOne<ProjectRecord>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(x => x.Entries).WithOne().HasForeignKey(e => e.BatchId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BatchEntryRecord>(e =>
        {
            e.ToTable("project_batch_entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Package).HasMaxLength(64);
            e.Property(x => x.Chroot).HasMaxLength(64);
            e.HasIndex(x => x.State);
            e.HasIndex(x => new { x.PackageId, x.Chroot, x.Id });
            e.HasIndex(x => x.BuildId);
            e.Ignore(x => x.WaitsForIds);
            e.Ignore(x => x.NeedsIds);
            e.HasOne<BuildRecord>().WithMany().HasForeignKey(x => x.BuildId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<RepositoryPackageRecord>(r =>
        {
            r.ToTable("repository_packages");
            r.HasKey(x => x.Id);
            r.Property(x => x.Chroot).HasMaxLength(64);
            r.HasIndex(x => new { x.ProjectId, x.Chroot, x.FileName }).IsUnique();
            r.HasIndex(x => new { x.PackageId, x.Chroot, x.BuildId });
            r.HasOne<ProjectRecord>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RepositoryRecord>(r =>
        {
            r.ToTable("repositories");
            r.HasKey(x => new { x.ProjectId, x.Chroot });
            r.Property(x => x.Chroot).HasMaxLength(64);
            r.HasOne<ProjectRecord>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ArtifactRecord>(a =>
        {
            a.ToTable("artifacts");
            a.HasKey(x => x.Id);
            a.HasIndex(x => new { x.BuildId, x.Name }).IsUnique();
            a.HasIndex(x => x.Sha256);
        });
        modelBuilder.Entity<WorkerRecord>(w =>
        {
            w.ToTable("workers");
            w.HasKey(x => x.Name);
            w.Property(x => x.Admin).HasMaxLength(16);
        });
        modelBuilder.Entity<OwnerRecord>(o =>
        {
            o.ToTable("owners");
            o.HasKey(x => x.Name);
        });
        modelBuilder.Entity<BuildEventRecord>(e =>
        {
            e.ToTable("build_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.State).HasMaxLength(16);
            e.HasIndex(x => new { x.BuildId, x.Id });
            e.HasIndex(x => x.BuildId).IsUnique().HasFilter("\"Kind\" = 'finished'").HasDatabaseName("IX_build_events_BuildId_finished");
        });
        modelBuilder.Entity<SigningKeyRecord>(k =>
        {
            k.ToTable("signing_keys");
            k.HasKey(x => x.Id);
            k.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<SignatureRecord>(s =>
        {
            s.ToTable("signatures");
            s.HasKey(x => x.Id);
            s.HasIndex(x => new { x.KeyName, x.Id });
        });
        modelBuilder.Entity<BotDeliveryRecord>(d =>
        {
            d.ToTable("bot_deliveries");
            d.HasKey(x => x.Id);
            d.Property(x => x.Forge).HasMaxLength(16);
            d.Property(x => x.DeliveryId).HasMaxLength(128);
            d.Property(x => x.Event).HasMaxLength(64);
            d.Property(x => x.State).HasMaxLength(16);
            d.HasIndex(x => new { x.Forge, x.DeliveryId }).IsUnique();
            d.HasIndex(x => new { x.State, x.Id });
            d.HasIndex(x => x.ReceivedAt);
        });
        modelBuilder.Entity<BotPluginRunRecord>(r =>
        {
            r.ToTable("bot_plugin_runs");
            r.HasKey(x => new { x.DeliveryId, x.Plugin });
            r.Property(x => x.Plugin).HasMaxLength(64);
            r.Property(x => x.Outcome).HasMaxLength(16);
            r.HasOne<BotDeliveryRecord>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BotPullRecord>(p =>
        {
            p.ToTable("bot_pulls");
            p.HasKey(x => x.Id);
            p.Property(x => x.Forge).HasMaxLength(16);
            p.Property(x => x.Repository).HasMaxLength(256);
            p.HasIndex(x => new { x.Forge, x.Repository, x.Number }).IsUnique();
        });
        modelBuilder.Entity<BotJobRunRecord>(j =>
        {
            j.ToTable("bot_job_runs");
            j.HasKey(x => x.Id);
            j.Property(x => x.Forge).HasMaxLength(16);
            j.Property(x => x.Repository).HasMaxLength(256);
            j.Property(x => x.Job).HasMaxLength(64);
            j.Property(x => x.Kind).HasMaxLength(8);
            j.Property(x => x.State).HasMaxLength(16);
            j.HasIndex(x => new { x.Forge, x.Repository, x.Number, x.Job });
            j.HasIndex(x => x.BuildId);
            j.HasOne<BuildRecord>().WithMany().HasForeignKey(x => x.BuildId).OnDelete(DeleteBehavior.SetNull);
        });
        ConfigureMessageCenter(modelBuilder);
        ConfigurePlayground(modelBuilder);
        ConfigureImages(modelBuilder);
        ConfigureMeetings(modelBuilder);
        ConfigureAccounts(modelBuilder);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

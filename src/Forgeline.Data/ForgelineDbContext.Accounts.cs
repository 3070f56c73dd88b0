using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>The accounts part of the context: users, their provider identities, groups, sessions and CLI login codes.</summary>
public sealed partial class ForgelineDbContext
{
    /// <summary>Users.</summary>
    public DbSet<UserRecord> Users => Set<UserRecord>();

    /// <summary>Provider accounts linked to users.</summary>
    public DbSet<UserIdentityRecord> UserIdentities => Set<UserIdentityRecord>();

    /// <summary>Groups (SIGs, teams).</summary>
    public DbSet<GroupRecord> Groups => Set<GroupRecord>();

    /// <summary>Who is in which group.</summary>
    public DbSet<GroupMemberRecord> GroupMembers => Set<GroupMemberRecord>();

    /// <summary>Browser sessions.</summary>
    public DbSet<UserSessionRecord> UserSessions => Set<UserSessionRecord>();

    /// <summary>One-time codes of <c>forgeline login</c> in the browser.</summary>
    public DbSet<LoginCodeRecord> LoginCodes => Set<LoginCodeRecord>();

    private static void ConfigureAccounts(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserRecord>(u =>
        {
            u.ToTable("users");
            u.HasKey(x => x.Id);
            u.Property(x => x.Name).HasMaxLength(64);
            u.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<UserIdentityRecord>(i =>
        {
            i.ToTable("user_identities");
            i.HasKey(x => new { x.Provider, x.Subject });
            i.Property(x => x.Provider).HasMaxLength(64);
            i.Property(x => x.Subject).HasMaxLength(255);
            i.HasIndex(x => x.UserId);
            i.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<GroupRecord>(g =>
        {
            g.ToTable("groups");
            g.HasKey(x => x.Id);
            g.Property(x => x.Name).HasMaxLength(64);
            g.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<GroupMemberRecord>(m =>
        {
            m.ToTable("group_members");
            m.HasKey(x => new { x.GroupId, x.UserId });
            m.Property(x => x.Source).HasMaxLength(64);
            m.HasIndex(x => x.UserId);
            m.HasOne<GroupRecord>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UserSessionRecord>(s =>
        {
            s.ToTable("user_sessions");
            s.HasKey(x => x.Id);
            s.Property(x => x.Provider).HasMaxLength(64);
            s.HasIndex(x => x.Hash).IsUnique();
            s.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<LoginCodeRecord>(c =>
        {
            c.ToTable("login_codes");
            c.HasKey(x => x.Id);
            c.HasIndex(x => x.Hash).IsUnique();
            c.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

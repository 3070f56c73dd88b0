using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>The message center's part of the context: the CloudEvents outbox, webhook subscriptions, deliveries and reader cursors.</summary>
public sealed partial class ForgelineDbContext
{
    /// <summary>The CloudEvents outbox: every event, written with the change it describes.</summary>
    public DbSet<OutboxEventRecord> Outbox => Set<OutboxEventRecord>();

    /// <summary>Webhook subscriptions to events.</summary>
    public DbSet<EventSubscriptionRecord> EventSubscriptions => Set<EventSubscriptionRecord>();

    /// <summary>Deliveries of events to webhook subscriptions.</summary>
    public DbSet<EventDeliveryRecord> EventDeliveries => Set<EventDeliveryRecord>();

    /// <summary>How far each reader of the outbox has got.</summary>
    public DbSet<EventCursorRecord> EventCursors => Set<EventCursorRecord>();

    private static void ConfigureMessageCenter(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxEventRecord>(o =>
        {
            o.ToTable("event_outbox");
            o.HasKey(x => x.Id);
            o.Property(x => x.EventId).HasMaxLength(64);
            o.Property(x => x.Type).HasMaxLength(128);
            o.Property(x => x.Source).HasMaxLength(256);
            o.Property(x => x.Subject).HasMaxLength(256);
            o.Property(x => x.Owner).HasMaxLength(128);
            o.HasIndex(x => x.EventId).IsUnique();
            o.HasIndex(x => new { x.Owner, x.Id });
        });
        modelBuilder.Entity<EventSubscriptionRecord>(s =>
        {
            s.ToTable("event_subscriptions");
            s.HasKey(x => x.Id);
            s.Property(x => x.Owner).HasMaxLength(128);
            s.HasIndex(x => x.Owner);
            s.Ignore(x => x.TypeList);
            s.Ignore(x => x.AudienceList);
        });
        modelBuilder.Entity<EventDeliveryRecord>(d =>
        {
            d.ToTable("event_deliveries");
            d.HasKey(x => x.Id);
            d.Property(x => x.State).HasMaxLength(16);
            d.HasIndex(x => new { x.SubscriptionId, x.OutboxId }).IsUnique();
            d.HasIndex(x => new { x.State, x.NextAttemptAt });
            d.HasIndex(x => x.OutboxId);
            d.HasOne<EventSubscriptionRecord>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            d.HasOne<OutboxEventRecord>().WithMany().HasForeignKey(x => x.OutboxId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<EventCursorRecord>(c =>
        {
            c.ToTable("event_cursors");
            c.HasKey(x => x.Name);
            c.Property(x => x.Name).HasMaxLength(32);
        });
        modelBuilder.Entity<ApiTokenRecord>(t =>
        {
            t.ToTable("api_tokens");
            t.HasKey(x => x.Id);
            t.HasIndex(x => x.Name).IsUnique();
            t.HasIndex(x => x.Hash).IsUnique();
            t.HasIndex(x => x.UserId);
        });
    }
}

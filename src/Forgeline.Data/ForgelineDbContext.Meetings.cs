using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>The meetings part's tables: meetings, their mails, recordings, participants and handled webhooks.</summary>
public sealed partial class ForgelineDbContext
{
    /// <summary>Meetings.</summary>
    public DbSet<MeetingRecord> Meetings => Set<MeetingRecord>();

    /// <summary>Mails to SIG lists, pending and sent.</summary>
    public DbSet<MeetingMailRecord> MeetingMails => Set<MeetingMailRecord>();

    /// <summary>Recordings.</summary>
    public DbSet<MeetingRecordingRecord> MeetingRecordings => Set<MeetingRecordingRecord>();

    /// <summary>Participants.</summary>
    public DbSet<MeetingParticipantRecord> MeetingParticipants => Set<MeetingParticipantRecord>();

    /// <summary>Handled platform notifications.</summary>
    public DbSet<MeetingWebhookDeliveryRecord> MeetingWebhookDeliveries => Set<MeetingWebhookDeliveryRecord>();

    private static void ConfigureMeetings(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MeetingRecord>(e =>
        {
            e.ToTable("meetings");
            e.HasIndex(x => new { x.Sig, x.FirstStart });
            e.HasIndex(x => new { x.Platform, x.PlatformId });
            e.HasIndex(x => x.NextReminderAt);
            e.Property(x => x.Sig).HasMaxLength(64);
        });
        modelBuilder.Entity<MeetingMailRecord>(e =>
        {
            e.ToTable("meeting_mails");
            e.HasIndex(x => new { x.MeetingId, x.Kind, x.Sequence, x.Occurrence }).IsUnique();
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
        });
        modelBuilder.Entity<MeetingRecordingRecord>(e =>
        {
            e.ToTable("meeting_recordings");
            e.HasIndex(x => new { x.MeetingId, x.FileId }).IsUnique();
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
        });
        modelBuilder.Entity<MeetingParticipantRecord>(e =>
        {
            e.ToTable("meeting_participants");
            e.HasIndex(x => new { x.MeetingId, x.Participant }).IsUnique();
        });
        modelBuilder.Entity<MeetingWebhookDeliveryRecord>(e =>
        {
            e.ToTable("meeting_webhook_deliveries");
            e.HasIndex(x => x.DeliveryKey).IsUnique();
        });
    }
}

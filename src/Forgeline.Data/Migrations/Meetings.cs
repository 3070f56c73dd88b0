using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>Meetings (issue 18): meetings, the mails to SIG lists, recordings, participants and handled webhooks.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261207000004_Meetings")]
public sealed class Meetings : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "meetings",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Sig = t.Column<string>(maxLength: 64, nullable: false),
                Title = t.Column<string>(nullable: false),
                Agenda = t.Column<string>(nullable: true),
                LocalStart = t.Column<DateTime>(nullable: false),
                TimeZone = t.Column<string>(nullable: false),
                DurationMinutes = t.Column<int>(nullable: false),
                Recurrence = t.Column<string>(nullable: false),
                Occurrences = t.Column<int>(nullable: false),
                FirstStart = t.Column<DateTime>(nullable: false),
                LastEnd = t.Column<DateTime>(nullable: false),
                Platform = t.Column<string>(nullable: false),
                PlatformId = t.Column<string>(nullable: false),
                JoinUrl = t.Column<string>(nullable: false),
                Passcode = t.Column<string>(nullable: false),
                State = t.Column<string>(nullable: false),
                Sequence = t.Column<int>(nullable: false),
                NextReminderAt = t.Column<DateTime>(nullable: true),
                NextReminderOccurrence = t.Column<int>(nullable: false),
                CreatedBy = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_meetings", x => x.Id));
        migrationBuilder.CreateIndex("IX_meetings_Sig_FirstStart", "meetings", ["Sig", "FirstStart"]);
        migrationBuilder.CreateIndex("IX_meetings_Platform_PlatformId", "meetings", ["Platform", "PlatformId"]);
        migrationBuilder.CreateIndex("IX_meetings_NextReminderAt", "meetings", "NextReminderAt");

        migrationBuilder.CreateTable(
            name: "meeting_mails",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                MeetingId = t.Column<long>(nullable: false),
                Kind = t.Column<string>(nullable: false),
                Sequence = t.Column<int>(nullable: false),
                Occurrence = t.Column<int>(nullable: false),
                To = t.Column<string>(nullable: false),
                State = t.Column<string>(nullable: false),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                Error = t.Column<string>(nullable: true),
                SentAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_meeting_mails", x => x.Id));
        migrationBuilder.CreateIndex("IX_meeting_mails_MeetingId_Kind_Sequence_Occurrence", "meeting_mails", ["MeetingId", "Kind", "Sequence", "Occurrence"], unique: true);
        migrationBuilder.CreateIndex("IX_meeting_mails_State_NextAttemptAt", "meeting_mails", ["State", "NextAttemptAt"]);

        migrationBuilder.CreateTable(
            name: "meeting_recordings",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                MeetingId = t.Column<long>(nullable: false),
                FileId = t.Column<string>(nullable: false),
                DownloadUrl = t.Column<string>(nullable: false),
                DownloadToken = t.Column<string>(nullable: true),
                ExpectedSize = t.Column<long>(nullable: false),
                RecordedAt = t.Column<DateTime>(nullable: true),
                State = t.Column<string>(nullable: false),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                Error = t.Column<string>(nullable: true),
                Sha256 = t.Column<string>(nullable: true),
                Size = t.Column<long>(nullable: true),
                Videos = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_meeting_recordings", x => x.Id));
        migrationBuilder.CreateIndex("IX_meeting_recordings_MeetingId_FileId", "meeting_recordings", ["MeetingId", "FileId"], unique: true);
        migrationBuilder.CreateIndex("IX_meeting_recordings_State_NextAttemptAt", "meeting_recordings", ["State", "NextAttemptAt"]);

        migrationBuilder.CreateTable(
            name: "meeting_participants",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                MeetingId = t.Column<long>(nullable: false),
                Participant = t.Column<string>(nullable: false),
                JoinedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_meeting_participants", x => x.Id));
        migrationBuilder.CreateIndex("IX_meeting_participants_MeetingId_Participant", "meeting_participants", ["MeetingId", "Participant"], unique: true);

        migrationBuilder.CreateTable(
            name: "meeting_webhook_deliveries",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                DeliveryKey = t.Column<string>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_meeting_webhook_deliveries", x => x.Id));
        migrationBuilder.CreateIndex("IX_meeting_webhook_deliveries_DeliveryKey", "meeting_webhook_deliveries", "DeliveryKey", unique: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "meeting_webhook_deliveries", "meeting_participants", "meeting_recordings", "meeting_mails", "meetings" })
        {
            migrationBuilder.DropTable(name: table);
        }
    }
}

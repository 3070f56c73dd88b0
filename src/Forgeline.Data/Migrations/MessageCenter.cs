using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>The message center: the CloudEvents outbox, webhook subscriptions, their deliveries and the readers' cursors.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261206000002_MessageCenter")]
public sealed class MessageCenter : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "event_outbox",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                EventId = t.Column<string>(maxLength: 64, nullable: false),
                Type = t.Column<string>(maxLength: 128, nullable: false),
                Source = t.Column<string>(maxLength: 256, nullable: false),
                Subject = t.Column<string>(maxLength: 256, nullable: false),
                Time = t.Column<DateTime>(nullable: false),
                Data = t.Column<string>(nullable: false),
                Owner = t.Column<string>(maxLength: 128, nullable: true),
                IsPublic = t.Column<bool>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_event_outbox", x => x.Id));
        migrationBuilder.CreateIndex("IX_event_outbox_EventId", "event_outbox", "EventId", unique: true);
        // A user's notifications: the newest events about what they (or their groups) own.
        migrationBuilder.CreateIndex("IX_event_outbox_Owner_Id", "event_outbox", ["Owner", "Id"]);

        migrationBuilder.CreateTable(
            name: "event_subscriptions",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Owner = t.Column<string>(maxLength: 128, nullable: false),
                Types = t.Column<string>(nullable: false),
                Url = t.Column<string>(nullable: false),
                Secret = t.Column<string>(nullable: false),
                Audience = t.Column<string>(nullable: false),
                SeesAll = t.Column<bool>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FromEvent = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_event_subscriptions", x => x.Id));
        migrationBuilder.CreateIndex("IX_event_subscriptions_Owner", "event_subscriptions", "Owner");

        migrationBuilder.CreateTable(
            name: "event_deliveries",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                SubscriptionId = t.Column<long>(nullable: false),
                OutboxId = t.Column<long>(nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                ClaimedUntil = t.Column<DateTime>(nullable: true),
                LastStatus = t.Column<int>(nullable: true),
                LastError = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                DeliveredAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_event_deliveries", x => x.Id);
                t.ForeignKey("FK_event_deliveries_event_subscriptions_SubscriptionId", x => x.SubscriptionId, "event_subscriptions", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_event_deliveries_event_outbox_OutboxId", x => x.OutboxId, "event_outbox", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_event_deliveries_SubscriptionId_OutboxId", "event_deliveries", ["SubscriptionId", "OutboxId"], unique: true);
        migrationBuilder.CreateIndex("IX_event_deliveries_State_NextAttemptAt", "event_deliveries", ["State", "NextAttemptAt"]);
        migrationBuilder.CreateIndex("IX_event_deliveries_OutboxId", "event_deliveries", "OutboxId");

        migrationBuilder.CreateTable(
            name: "event_cursors",
            columns: t => new
            {
                Name = t.Column<string>(maxLength: 32, nullable: false),
                Position = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_event_cursors", x => x.Name));
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("event_cursors");
        migrationBuilder.DropTable("event_deliveries");
        migrationBuilder.DropTable("event_subscriptions");
        migrationBuilder.DropTable("event_outbox");
    }
}

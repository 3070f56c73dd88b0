using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>The review bot: webhook deliveries, what each plugin did with them, per-pull-request state and CI job runs.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000006_Bot")]
public sealed class Bot : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "bot_deliveries",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Forge = t.Column<string>(maxLength: 16, nullable: false),
                DeliveryId = t.Column<string>(maxLength: 128, nullable: false),
                Event = t.Column<string>(maxLength: 64, nullable: false),
                Body = t.Column<byte[]>(nullable: true),
                Repository = t.Column<string>(nullable: true),
                ReceivedAt = t.Column<DateTime>(nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Attempts = t.Column<int>(nullable: false),
                ClaimedUntil = t.Column<DateTime>(nullable: true),
                FinishedAt = t.Column<DateTime>(nullable: true),
                Error = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_bot_deliveries", x => x.Id));
        migrationBuilder.CreateIndex("IX_bot_deliveries_Forge_DeliveryId", "bot_deliveries", ["Forge", "DeliveryId"], unique: true);
        migrationBuilder.CreateIndex("IX_bot_deliveries_State_Id", "bot_deliveries", ["State", "Id"]);
        migrationBuilder.CreateIndex("IX_bot_deliveries_ReceivedAt", "bot_deliveries", "ReceivedAt");

        migrationBuilder.CreateTable(
            name: "bot_plugin_runs",
            columns: t => new
            {
                DeliveryId = t.Column<long>(nullable: false),
                Plugin = t.Column<string>(maxLength: 64, nullable: false),
                Outcome = t.Column<string>(maxLength: 16, nullable: false),
                DurationMs = t.Column<int>(nullable: false),
                Error = t.Column<string>(nullable: true),
                FinishedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_bot_plugin_runs", x => new { x.DeliveryId, x.Plugin });
                t.ForeignKey("FK_bot_plugin_runs_bot_deliveries_DeliveryId", x => x.DeliveryId, "bot_deliveries", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "bot_pulls",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Forge = t.Column<string>(maxLength: 16, nullable: false),
                Repository = t.Column<string>(maxLength: 256, nullable: false),
                Number = t.Column<int>(nullable: false),
                Approvers = t.Column<string>(nullable: false),
                Collaborators = t.Column<string>(nullable: false),
                Trusted = t.Column<bool>(nullable: false),
                HeadSha = t.Column<string>(nullable: true),
                MergeStatus = t.Column<string>(nullable: true),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_bot_pulls", x => x.Id));
        migrationBuilder.CreateIndex("IX_bot_pulls_Forge_Repository_Number", "bot_pulls", ["Forge", "Repository", "Number"], unique: true);

        migrationBuilder.CreateTable(
            name: "bot_job_runs",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Forge = t.Column<string>(maxLength: 16, nullable: false),
                Repository = t.Column<string>(maxLength: 256, nullable: false),
                Number = t.Column<int>(nullable: false),
                HeadSha = t.Column<string>(nullable: false),
                Job = t.Column<string>(maxLength: 64, nullable: false),
                Kind = t.Column<string>(maxLength: 8, nullable: false),
                BuildId = t.Column<long>(nullable: true),
                State = t.Column<string>(maxLength: 16, nullable: false),
                DetailsUrl = t.Column<string>(nullable: true),
                ReportTokenHash = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_bot_job_runs", x => x.Id);
                t.ForeignKey("FK_bot_job_runs_builds_BuildId", x => x.BuildId, "builds", "Id", onDelete: ReferentialAction.SetNull);
            });
        migrationBuilder.CreateIndex("IX_bot_job_runs_Forge_Repository_Number_Job", "bot_job_runs", ["Forge", "Repository", "Number", "Job"]);
        migrationBuilder.CreateIndex("IX_bot_job_runs_BuildId", "bot_job_runs", "BuildId");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("bot_job_runs");
        migrationBuilder.DropTable("bot_pulls");
        migrationBuilder.DropTable("bot_plugin_runs");
        migrationBuilder.DropTable("bot_deliveries");
    }
}

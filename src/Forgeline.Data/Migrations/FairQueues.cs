using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Forgeline.Data.Migrations;

/// <summary>
/// Fair queues: build priority, labels, macros and cache keys; worker labels, environment and admin state; owner
/// weights and token owners; the build event history with its one-final-event-per-build rule.
/// </summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000004_FairQueues")]
public sealed class FairQueues : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Priority", table: "builds", maxLength: 8, nullable: false, defaultValue: "Normal");
        migrationBuilder.AddColumn<string>(name: "Labels", table: "builds", nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "Macros", table: "builds", nullable: true);
        migrationBuilder.AddColumn<string>(name: "InputDigest", table: "builds", nullable: true);
        migrationBuilder.AddColumn<string>(name: "Environment", table: "builds", nullable: true);
        migrationBuilder.AddColumn<long>(name: "CachedFromId", table: "builds", nullable: true);
        migrationBuilder.AddColumn<DateTime>(name: "QueuedAt", table: "builds", nullable: false, defaultValue: new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        migrationBuilder.AddColumn<DateTime>(name: "NotBefore", table: "builds", nullable: true);
        migrationBuilder.Sql("UPDATE builds SET \"QueuedAt\" = \"SubmittedAt\"");
        migrationBuilder.CreateIndex("IX_builds_State_QueuedAt", "builds", ["State", "QueuedAt"]);
        migrationBuilder.CreateIndex("IX_builds_InputDigest", "builds", "InputDigest");

        migrationBuilder.AddColumn<string>(name: "Labels", table: "workers", nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "Environment", table: "workers", nullable: true);
        migrationBuilder.AddColumn<string>(name: "Admin", table: "workers", maxLength: 16, nullable: false, defaultValue: "enabled");

        migrationBuilder.AddColumn<string>(name: "Owner", table: "api_tokens", nullable: true);

        migrationBuilder.CreateTable(
            name: "owners",
            columns: t => new
            {
                Name = t.Column<string>(nullable: false),
                Weight = t.Column<int>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_owners", x => x.Name));

        migrationBuilder.CreateTable(
            name: "build_events",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                BuildId = t.Column<long>(nullable: false),
                At = t.Column<DateTime>(nullable: false),
                Kind = t.Column<string>(maxLength: 16, nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Worker = t.Column<string>(nullable: true),
                Detail = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_build_events", x => x.Id);
                t.ForeignKey("FK_build_events_builds_BuildId", x => x.BuildId, "builds", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_build_events_BuildId_Id", "build_events", ["BuildId", "Id"]);
        // The database itself refuses a second end of a build, whatever races the processes run into.
        migrationBuilder.CreateIndex("IX_build_events_BuildId_finished", "build_events", "BuildId", unique: true, filter: "\"Kind\" = 'finished'");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("build_events");
        migrationBuilder.DropTable("owners");
        migrationBuilder.DropColumn("Owner", "api_tokens");
        migrationBuilder.DropColumn("Admin", "workers");
        migrationBuilder.DropColumn("Environment", "workers");
        migrationBuilder.DropColumn("Labels", "workers");
        migrationBuilder.DropIndex("IX_builds_InputDigest", "builds");
        migrationBuilder.DropIndex("IX_builds_State_QueuedAt", "builds");
        foreach (var column in new[] { "NotBefore", "QueuedAt", "CachedFromId", "Environment", "InputDigest", "Macros", "Labels", "Priority" })
        {
            migrationBuilder.DropColumn(column, "builds");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>Workers carry the id of their current process, so a restarted worker's old builds are queued again at once.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000002_WorkerSessions")]
public sealed class WorkerSessions : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Session", table: "workers", nullable: true);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Session", table: "workers");
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>Hardening (issue 19): <c>readiness_checks</c>, one row per server process that <c>/readyz</c> writes to prove the database takes writes.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261207000005_ReadinessChecks")]
public sealed class ReadinessChecks : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "readiness_checks",
            columns: t => new
            {
                Replica = t.Column<string>(maxLength: 200, nullable: false),
                CheckedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_readiness_checks", x => x.Replica));

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "readiness_checks");
}

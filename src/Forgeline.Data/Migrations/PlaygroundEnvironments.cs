using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>The playground (issue 16): the <c>playground_environments</c> table.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261207000002_PlaygroundEnvironments")]
public sealed class PlaygroundEnvironments : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "playground_environments",
            columns: t => new
            {
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Definition = t.Column<string>(nullable: false),
                ImageDigest = t.Column<string>(maxLength: 64, nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_playground_environments", x => x.Name));

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "playground_environments");
}

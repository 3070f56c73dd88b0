using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>
/// Build targets (issue 15): the <c>build_targets</c> table, the target a build is made for and what its worker reported
/// of the clean root (<c>builds.Target</c>, <c>builds.RootReport</c>), and whether a worker can build in such roots
/// (<c>workers.BuildRoots</c>).
/// </summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261207000001_BuildTargets")]
public sealed class BuildTargets : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "build_targets",
            columns: t => new
            {
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Arch = t.Column<string>(maxLength: 32, nullable: false),
                Repositories = t.Column<string>(nullable: false),
                BasePackages = t.Column<string>(nullable: false),
                Macros = t.Column<string>(nullable: true),
                DistTag = t.Column<string>(nullable: true),
                RpmDbPath = t.Column<string>(nullable: false),
                ReleaseVersion = t.Column<string>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_build_targets", x => x.Name));

        migrationBuilder.AddColumn<string>(name: "Target", table: "builds", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>(name: "RootReport", table: "builds", nullable: true);
        migrationBuilder.AddColumn<string>(name: "RootLayer", table: "builds", nullable: true);
        migrationBuilder.AddColumn<bool>(name: "BuildRoots", table: "workers", nullable: false, defaultValue: false);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "BuildRoots", table: "workers");
        migrationBuilder.DropColumn(name: "RootLayer", table: "builds");
        migrationBuilder.DropColumn(name: "RootReport", table: "builds");
        migrationBuilder.DropColumn(name: "Target", table: "builds");
        migrationBuilder.DropTable(name: "build_targets");
    }
}

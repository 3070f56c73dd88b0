using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>Image CI (issue 17): image definitions, test plans, image builds, runs and their VM jobs.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261207000003_Images")]
public sealed class Images : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "image_definitions",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Project = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Yaml = t.Column<string>(nullable: false),
                UpdatedBy = t.Column<string>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_image_definitions", x => x.Id));
        migrationBuilder.CreateIndex("IX_image_definitions_Project_Name", "image_definitions", ["Project", "Name"], unique: true);

        migrationBuilder.CreateTable(
            name: "image_plans",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Project = t.Column<string>(maxLength: 64, nullable: false),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Yaml = t.Column<string>(nullable: false),
                NextRunAt = t.Column<DateTime>(nullable: false),
                TriggerTokenSha256 = t.Column<string>(maxLength: 64, nullable: false),
                UpdatedBy = t.Column<string>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_image_plans", x => x.Id));
        migrationBuilder.CreateIndex("IX_image_plans_Project_Name", "image_plans", ["Project", "Name"], unique: true);

        migrationBuilder.CreateTable(
            name: "image_builds",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Project = t.Column<string>(nullable: false),
                Image = t.Column<string>(nullable: false),
                Yaml = t.Column<string>(nullable: false),
                BuildId = t.Column<long>(nullable: true),
                State = t.Column<string>(nullable: false),
                Reason = t.Column<string>(nullable: true),
                Files = t.Column<string>(nullable: true),
                RequestedBy = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_image_builds", x => x.Id));
        migrationBuilder.CreateIndex("IX_image_builds_Project_Image", "image_builds", ["Project", "Image"]);
        migrationBuilder.CreateIndex("IX_image_builds_State", "image_builds", "State");

        migrationBuilder.CreateTable(
            name: "image_runs",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Project = t.Column<string>(nullable: false),
                Plan = t.Column<string>(nullable: false),
                Yaml = t.Column<string>(nullable: false),
                Trigger = t.Column<string>(nullable: false),
                RequestedBy = t.Column<string>(nullable: false),
                State = t.Column<string>(nullable: false),
                Reason = t.Column<string>(nullable: true),
                ImageBuildId = t.Column<long>(nullable: true),
                ReportUrl = t.Column<string>(nullable: true),
                ReportToken = t.Column<string>(nullable: true),
                Reported = t.Column<bool>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_image_runs", x => x.Id));
        migrationBuilder.CreateIndex("IX_image_runs_Project_Plan", "image_runs", ["Project", "Plan"]);
        migrationBuilder.CreateIndex("IX_image_runs_State", "image_runs", "State");

        migrationBuilder.CreateTable(
            name: "image_run_jobs",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                RunId = t.Column<long>(nullable: false),
                Position = t.Column<int>(nullable: false),
                Name = t.Column<string>(nullable: false),
                Boot = t.Column<string>(nullable: false),
                BuildId = t.Column<long>(nullable: true),
                State = t.Column<string>(nullable: false),
                Reason = t.Column<string>(nullable: true),
                BaseSha256 = t.Column<string>(nullable: true),
                DiskSha256 = t.Column<string>(nullable: true),
                Screenshot = t.Column<string>(nullable: true),
                JUnit = t.Column<string>(nullable: true),
                StartedAt = t.Column<DateTime>(nullable: true),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_image_run_jobs", x => x.Id);
                t.ForeignKey("FK_image_run_jobs_image_runs_RunId", x => x.RunId, "image_runs", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_image_run_jobs_RunId", "image_run_jobs", "RunId");
        migrationBuilder.CreateIndex("IX_image_run_jobs_BuildId", "image_run_jobs", "BuildId");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "image_run_jobs", "image_runs", "image_builds", "image_plans", "image_definitions" })
        {
            migrationBuilder.DropTable(name: table);
        }
    }
}

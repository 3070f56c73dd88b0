using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>Projects with members and packages, batches built in dependency order, and the content of published repositories.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000005_Projects")]
public sealed class Projects : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(name: "ProjectId", table: "builds", nullable: true);
        migrationBuilder.AddColumn<string>(name: "Dependencies", table: "builds", nullable: true);
        migrationBuilder.CreateIndex("IX_builds_ProjectId", "builds", "ProjectId");

        migrationBuilder.CreateTable(
            name: "projects",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Owner = t.Column<string>(maxLength: 128, nullable: false),
                Description = t.Column<string>(nullable: true),
                Chroots = t.Column<string>(nullable: false),
                DistTag = t.Column<string>(nullable: true),
                Macros = t.Column<string>(nullable: true),
                SigningKey = t.Column<string>(nullable: false),
                IsPublic = t.Column<bool>(nullable: false),
                MissingDependencies = t.Column<string>(maxLength: 8, nullable: false),
                RebuildDependents = t.Column<bool>(nullable: false),
                KeepBuilds = t.Column<int>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_projects", x => x.Id));
        migrationBuilder.CreateIndex("IX_projects_Name", "projects", "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "project_members",
            columns: t => new
            {
                ProjectId = t.Column<long>(nullable: false),
                Principal = t.Column<string>(maxLength: 128, nullable: false),
                Role = t.Column<string>(maxLength: 16, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_project_members", x => new { x.ProjectId, x.Principal });
                t.ForeignKey("FK_project_members_projects_ProjectId", x => x.ProjectId, "projects", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "project_packages",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                ProjectId = t.Column<long>(nullable: false),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                SourceKind = t.Column<string>(maxLength: 16, nullable: false),
                SourceBlob = t.Column<string>(nullable: true),
                SourceFileName = t.Column<string>(nullable: true),
                GitUrl = t.Column<string>(nullable: true),
                GitRef = t.Column<string>(nullable: true),
                SpecPath = t.Column<string>(nullable: true),
                AutoRebuild = t.Column<bool>(nullable: false),
                WebhookSecret = t.Column<string>(nullable: true),
                Facts = t.Column<string>(nullable: true),
                FactsFrom = t.Column<string>(nullable: true),
                BuiltProvides = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_project_packages", x => x.Id);
                t.ForeignKey("FK_project_packages_projects_ProjectId", x => x.ProjectId, "projects", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_project_packages_ProjectId_Name", "project_packages", ["ProjectId", "Name"], unique: true);

        migrationBuilder.CreateTable(
            name: "project_batches",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                ProjectId = t.Column<long>(nullable: false),
                RequestedBy = t.Column<string>(nullable: false),
                Reason = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
                Problems = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_project_batches", x => x.Id);
                t.ForeignKey("FK_project_batches_projects_ProjectId", x => x.ProjectId, "projects", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_project_batches_ProjectId_Id", "project_batches", ["ProjectId", "Id"]);

        migrationBuilder.CreateTable(
            name: "project_batch_entries",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                BatchId = t.Column<long>(nullable: false),
                ProjectId = t.Column<long>(nullable: false),
                PackageId = t.Column<long>(nullable: false),
                Package = t.Column<string>(maxLength: 64, nullable: false),
                Chroot = t.Column<string>(maxLength: 64, nullable: false),
                State = t.Column<string>(maxLength: 16, nullable: false),
                WaitsFor = t.Column<string>(nullable: false),
                Needs = t.Column<string>(nullable: false),
                MissingRequirements = t.Column<string>(nullable: true),
                Level = t.Column<int>(nullable: false),
                BuildId = t.Column<long>(nullable: true),
                Reason = t.Column<string>(nullable: true),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_project_batch_entries", x => x.Id);
                t.ForeignKey("FK_project_batch_entries_project_batches_BatchId", x => x.BatchId, "project_batches", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_project_batch_entries_builds_BuildId", x => x.BuildId, "builds", "Id", onDelete: ReferentialAction.SetNull);
            });
        migrationBuilder.CreateIndex("IX_project_batch_entries_State", "project_batch_entries", "State");
        migrationBuilder.CreateIndex("IX_project_batch_entries_PackageId_Chroot_Id", "project_batch_entries", ["PackageId", "Chroot", "Id"]);
        migrationBuilder.CreateIndex("IX_project_batch_entries_BuildId", "project_batch_entries", "BuildId");
        migrationBuilder.CreateIndex("IX_project_batch_entries_BatchId", "project_batch_entries", "BatchId");

        migrationBuilder.CreateTable(
            name: "repository_packages",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                ProjectId = t.Column<long>(nullable: false),
                Chroot = t.Column<string>(maxLength: 64, nullable: false),
                PackageId = t.Column<long>(nullable: false),
                BuildId = t.Column<long>(nullable: false),
                FileName = t.Column<string>(nullable: false),
                Sha256 = t.Column<string>(nullable: false),
                UnsignedSha256 = t.Column<string>(nullable: false),
                Size = t.Column<long>(nullable: false),
                AddedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_repository_packages", x => x.Id);
                t.ForeignKey("FK_repository_packages_projects_ProjectId", x => x.ProjectId, "projects", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_repository_packages_ProjectId_Chroot_FileName", "repository_packages", ["ProjectId", "Chroot", "FileName"], unique: true);
        migrationBuilder.CreateIndex("IX_repository_packages_PackageId_Chroot_BuildId", "repository_packages", ["PackageId", "Chroot", "BuildId"]);

        migrationBuilder.CreateTable(
            name: "repositories",
            columns: t => new
            {
                ProjectId = t.Column<long>(nullable: false),
                Chroot = t.Column<string>(maxLength: 64, nullable: false),
                ContentVersion = t.Column<long>(nullable: false),
                PublishedVersion = t.Column<long>(nullable: false),
                Generation = t.Column<long>(nullable: false),
                Packages = t.Column<int>(nullable: false),
                PublishedAt = t.Column<DateTime>(nullable: true),
                RepomdSha256 = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_repositories", x => new { x.ProjectId, x.Chroot });
                t.ForeignKey("FK_repositories_projects_ProjectId", x => x.ProjectId, "projects", "Id", onDelete: ReferentialAction.Cascade);
            });
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "repositories", "repository_packages", "project_batch_entries", "project_batches", "project_packages", "project_members", "projects" })
        {
            migrationBuilder.DropTable(table);
        }

        migrationBuilder.DropIndex("IX_builds_ProjectId", "builds");
        migrationBuilder.DropColumn("Dependencies", "builds");
        migrationBuilder.DropColumn("ProjectId", "builds");
    }
}

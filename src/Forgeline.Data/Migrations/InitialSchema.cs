using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Forgeline.Data.Migrations;

/// <summary>Builds, artifacts, workers and API tokens.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000001_Initial")]
public sealed class InitialSchema : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "builds",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Owner = t.Column<string>(maxLength: 128, nullable: false),
                SourceKind = t.Column<string>(maxLength: 16, nullable: false),
                SourceBlob = t.Column<string>(nullable: true),
                SourceFileName = t.Column<string>(nullable: true),
                GitUrl = t.Column<string>(nullable: true),
                GitRef = t.Column<string>(nullable: true),
                SpecPath = t.Column<string>(nullable: true),
                Package = t.Column<string>(nullable: true),
                Arch = t.Column<string>(maxLength: 32, nullable: false),
                SubmittedAt = t.Column<DateTime>(nullable: false),
                StartedAt = t.Column<DateTime>(nullable: true),
                FinishedAt = t.Column<DateTime>(nullable: true),
                Reason = t.Column<string>(nullable: true),
                Attempt = t.Column<int>(nullable: false),
                LeaseId = t.Column<string>(nullable: true),
                LeaseExpiresAt = t.Column<DateTime>(nullable: true),
                WorkerName = t.Column<string>(nullable: true),
                CancelRequested = t.Column<bool>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_builds", x => x.Id));
        migrationBuilder.CreateIndex("IX_builds_State_Id", "builds", ["State", "Id"]);
        migrationBuilder.CreateIndex("IX_builds_LeaseId", "builds", "LeaseId", unique: true);

        migrationBuilder.CreateTable(
            name: "artifacts",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                BuildId = t.Column<long>(nullable: false),
                Name = t.Column<string>(nullable: false),
                Kind = t.Column<string>(nullable: false),
                Sha256 = t.Column<string>(nullable: false),
                Size = t.Column<long>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_artifacts", x => x.Id);
                t.ForeignKey("FK_artifacts_builds_BuildId", x => x.BuildId, "builds", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_artifacts_BuildId_Name", "artifacts", ["BuildId", "Name"], unique: true);
        migrationBuilder.CreateIndex("IX_artifacts_Sha256", "artifacts", "Sha256");

        migrationBuilder.CreateTable(
            name: "workers",
            columns: t => new
            {
                Name = t.Column<string>(nullable: false),
                Arch = t.Column<string>(nullable: false),
                Slots = t.Column<int>(nullable: false),
                RegisteredAt = t.Column<DateTime>(nullable: false),
                LastSeenAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_workers", x => x.Name));

        migrationBuilder.CreateTable(
            name: "api_tokens",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = t.Column<string>(nullable: false),
                Hash = t.Column<string>(nullable: false),
                Scopes = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                LastUsedAt = t.Column<DateTime>(nullable: true),
                RevokedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_api_tokens", x => x.Id));
        migrationBuilder.CreateIndex("IX_api_tokens_Name", "api_tokens", "Name", unique: true);
        migrationBuilder.CreateIndex("IX_api_tokens_Hash", "api_tokens", "Hash", unique: true);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("artifacts");
        migrationBuilder.DropTable("builds");
        migrationBuilder.DropTable("workers");
        migrationBuilder.DropTable("api_tokens");
    }
}

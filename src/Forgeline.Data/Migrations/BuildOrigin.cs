using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>
/// A build may carry the submitter's idempotency key (<c>origin</c>, e.g. <c>batch-entry/42</c>): submitting again with the
/// same key returns the build made the first time, so a part that submits and then records the build in its own tables
/// needs no callback inside the farm's transaction and makes no second build after a crash in between.
/// </summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261206000003_BuildOrigin")]
public sealed class BuildOrigin : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Origin", table: "builds", maxLength: 200, nullable: true);
        migrationBuilder.CreateIndex(name: "IX_builds_Origin", table: "builds", column: "Origin", unique: true);
        // Builds of project batches made before this migration get the key their entry would give them now.
        migrationBuilder.Sql("""UPDATE builds SET "Origin" = 'batch-entry/' || (SELECT e."Id" FROM project_batch_entries e WHERE e."BuildId" = builds."Id" ORDER BY e."Id" LIMIT 1) WHERE EXISTS (SELECT 1 FROM project_batch_entries e WHERE e."BuildId" = builds."Id")""");
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_builds_Origin", table: "builds");
        migrationBuilder.DropColumn(name: "Origin", table: "builds");
    }
}

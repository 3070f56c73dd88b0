using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data.Migrations;

/// <summary>
/// Users, groups, provider identities, browser sessions and CLI login codes; personal tokens point at their user. The names
/// existing data used as owners become real principals: a token's <c>Owner</c> (shared by a team's tokens) becomes a group,
/// every other owner name (project owners and members, queue weights, builds' owners) a user, so nothing refers to a free
/// string afterwards.
/// </summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261206000001_Accounts")]
public sealed class Accounts : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "users",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                DisplayName = t.Column<string>(nullable: true),
                Email = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                LastSignInAt = t.Column<DateTime>(nullable: true),
                DisabledAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_users", x => x.Id));
        migrationBuilder.CreateIndex("IX_users_Name", "users", "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "user_identities",
            columns: t => new
            {
                Provider = t.Column<string>(maxLength: 64, nullable: false),
                Subject = t.Column<string>(maxLength: 255, nullable: false),
                UserId = t.Column<long>(nullable: false),
                LinkedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_user_identities", x => new { x.Provider, x.Subject });
                t.ForeignKey("FK_user_identities_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_user_identities_UserId", "user_identities", "UserId");

        migrationBuilder.CreateTable(
            name: "groups",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Name = t.Column<string>(maxLength: 64, nullable: false),
                Description = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_groups", x => x.Id));
        migrationBuilder.CreateIndex("IX_groups_Name", "groups", "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "group_members",
            columns: t => new
            {
                GroupId = t.Column<long>(nullable: false),
                UserId = t.Column<long>(nullable: false),
                Source = t.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_group_members", x => new { x.GroupId, x.UserId });
                t.ForeignKey("FK_group_members_groups_GroupId", x => x.GroupId, "groups", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_group_members_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_group_members_UserId", "group_members", "UserId");

        migrationBuilder.CreateTable(
            name: "user_sessions",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Hash = t.Column<string>(nullable: false),
                UserId = t.Column<long>(nullable: false),
                Provider = t.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                ExpiresAt = t.Column<DateTime>(nullable: false),
                RevokedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_user_sessions", x => x.Id);
                t.ForeignKey("FK_user_sessions_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_user_sessions_Hash", "user_sessions", "Hash", unique: true);
        migrationBuilder.CreateIndex("IX_user_sessions_UserId", "user_sessions", "UserId");

        migrationBuilder.CreateTable(
            name: "login_codes",
            columns: t => new
            {
                Id = MigrationColumns.Identity(t),
                Hash = t.Column<string>(nullable: false),
                UserId = t.Column<long>(nullable: false),
                Challenge = t.Column<string>(nullable: false),
                TokenName = t.Column<string>(nullable: false),
                ExpiresAt = t.Column<DateTime>(nullable: false),
                UsedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_login_codes", x => x.Id);
                t.ForeignKey("FK_login_codes_users_UserId", x => x.UserId, "users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_login_codes_Hash", "login_codes", "Hash", unique: true);
        migrationBuilder.CreateIndex("IX_login_codes_UserId", "login_codes", "UserId");

        migrationBuilder.AddColumn<long>(name: "UserId", table: "api_tokens", nullable: true);
        migrationBuilder.CreateIndex("IX_api_tokens_UserId", "api_tokens", "UserId");

        CarryOverOwners(migrationBuilder);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_api_tokens_UserId", "api_tokens");
        migrationBuilder.DropColumn("UserId", "api_tokens");
        foreach (var table in new[] { "login_codes", "user_sessions", "group_members", "groups", "user_identities", "users" })
        {
            migrationBuilder.DropTable(table);
        }
    }

    // Plain SQL both engines run: quoted identifiers, CURRENT_TIMESTAMP, NOT EXISTS instead of engine-specific upserts.
    private static void CarryOverOwners(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            INSERT INTO "groups" ("Name", "CreatedAt")
            SELECT DISTINCT t."Owner", CURRENT_TIMESTAMP FROM "api_tokens" t
            WHERE t."Owner" IS NOT NULL AND t."Owner" <> t."Name";
            """);
        foreach (var (table, column) in new[] { ("projects", "Owner"), ("project_members", "Principal"), ("owners", "Name"), ("builds", "Owner") })
        {
            migrationBuilder.Sql($"""
                INSERT INTO "users" ("Name", "CreatedAt")
                SELECT DISTINCT s."{column}", CURRENT_TIMESTAMP FROM "{table}" s
                WHERE s."{column}" <> '' AND LENGTH(s."{column}") <= 64
                  AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."Name" = s."{column}")
                  AND NOT EXISTS (SELECT 1 FROM "groups" g WHERE g."Name" = s."{column}");
                """);
        }
    }
}

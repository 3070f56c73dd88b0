using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Forgeline.Data.Migrations;

/// <summary>Signing keys (private parts sealed) and the audit trail of signatures.</summary>
[DbContext(typeof(ForgelineDbContext))]
[Migration("20261122000003_SigningKeys")]
public sealed class SigningKeys : Migration
{
    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "signing_keys",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Name = t.Column<string>(nullable: false),
                Kind = t.Column<string>(nullable: false),
                Algorithm = t.Column<string>(nullable: false),
                Purposes = t.Column<string>(nullable: false),
                Fingerprint = t.Column<string>(nullable: false),
                KeyId = t.Column<string>(nullable: true),
                Identity = t.Column<string>(nullable: false),
                PublicKey = t.Column<string>(nullable: false),
                IssuerName = t.Column<string>(nullable: true),
                SealedPrivateKey = t.Column<byte[]>(nullable: false),
                SealedBy = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                ExpiresAt = t.Column<DateTime>(nullable: true),
                Disabled = t.Column<bool>(nullable: false),
                AllowedSigners = t.Column<string>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_signing_keys", x => x.Id));
        migrationBuilder.CreateIndex("IX_signing_keys_Name", "signing_keys", "Name", unique: true);

        migrationBuilder.CreateTable(
            name: "signatures",
            columns: t => new
            {
                Id = t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                KeyName = t.Column<string>(nullable: false),
                Signer = t.Column<string>(nullable: false),
                Format = t.Column<string>(nullable: false),
                Digest = t.Column<string>(nullable: false),
                FileName = t.Column<string>(nullable: true),
                SignedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_signatures", x => x.Id));
        migrationBuilder.CreateIndex("IX_signatures_KeyName_Id", "signatures", ["KeyName", "Id"]);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("signatures");
        migrationBuilder.DropTable("signing_keys");
    }
}

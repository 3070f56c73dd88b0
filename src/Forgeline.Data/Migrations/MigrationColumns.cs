using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Forgeline.Data.Migrations;

/// <summary>Column shapes the hand-written migrations share.</summary>
internal static class MigrationColumns
{
    /// <summary>
    /// A <c>bigint</c> key the database numbers, with both providers' annotations: the same hand-written migration runs on
    /// SQLite (autoincrement) and PostgreSQL (identity by default).
    /// </summary>
    public static OperationBuilder<AddColumnOperation> Identity(ColumnsBuilder t) =>
        t.Column<long>(nullable: false).Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}

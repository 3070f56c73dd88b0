using Forgeline.Core.Accounts;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts.Tests;

/// <summary>The accounts migration turns the owner names a database already holds into users and groups, on each engine.</summary>
public abstract class OwnerCarryOverTests(DatabaseEngine engine)
{
    [Fact]
    public async Task Token_owners_become_groups_and_every_other_owner_name_a_user()
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var before = database.Open())
        {
            await before.GetService<IMigrator>().MigrateAsync("20261122000006_Bot");
            await before.Database.ExecuteSqlRawAsync("""
                INSERT INTO "api_tokens" ("Name", "Owner", "Hash", "Scopes", "CreatedAt") VALUES ('ci-1', 'release-team', 'h1', 'build', CURRENT_TIMESTAMP);
                INSERT INTO "api_tokens" ("Name", "Owner", "Hash", "Scopes", "CreatedAt") VALUES ('ci-2', 'release-team', 'h2', 'build', CURRENT_TIMESTAMP);
                INSERT INTO "api_tokens" ("Name", "Owner", "Hash", "Scopes", "CreatedAt") VALUES ('alice', NULL, 'h3', 'build', CURRENT_TIMESTAMP);
                INSERT INTO "owners" ("Name", "Weight") VALUES ('release-team', 3);
                INSERT INTO "owners" ("Name", "Weight") VALUES ('mass', 2);
                """);
        }

        await using var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        var directory = new UserDirectory(db, Options.Create(new AccountsOptions()));
        (await directory.KindOfAsync("release-team", default)).ShouldBe(PrincipalKind.Group);
        (await directory.KindOfAsync("mass", default)).ShouldBe(PrincipalKind.User);
        (await directory.KindOfAsync("ci-1", default)).ShouldBe(PrincipalKind.Unknown, "a token that acts for a group is not a person");
        (await db.Groups.CountAsync(g => g.Name == "release-team")).ShouldBe(1);
        (await db.ApiTokens.Where(t => t.UserId != null).CountAsync()).ShouldBe(0, "existing tokens stay service tokens");
    }

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite() : OwnerCarryOverTests(DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres() : OwnerCarryOverTests(DatabaseEngine.Postgres);
}

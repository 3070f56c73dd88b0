using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts.Tests;

/// <summary>A migrated database on one engine and the accounts services over it, on fake time.</summary>
public sealed class AccountsHarness : IAsyncDisposable
{
    private readonly TestDatabase database;

    private AccountsHarness(TestDatabase database, ForgelineDbContext db, AccountsOptions options)
    {
        this.database = database;
        Db = db;
        Options = options;
    }

    /// <summary>The context the services share.</summary>
    public ForgelineDbContext Db { get; }

    /// <summary>The settings (change them before calling a service).</summary>
    public AccountsOptions Options { get; }

    /// <summary>The clock.</summary>
    public FakeTimeProvider Time { get; } = new();

    /// <summary>Sign-in from a provider.</summary>
    public ProviderSignIn SignIn => new(Db, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<ProviderSignIn>.Instance);

    /// <summary>Users and groups as read.</summary>
    public UserDirectory Directory => new(Db, Microsoft.Extensions.Options.Options.Create(Options));

    /// <summary>What admins do.</summary>
    public GroupService Groups => new(Db, Time, NullLogger<GroupService>.Instance);

    /// <summary>Browser sessions.</summary>
    public SessionService Sessions => new(Db, Microsoft.Extensions.Options.Options.Create(Options), Time);

    /// <summary>API tokens.</summary>
    public TokenService Tokens => new(Db, Time);

    /// <summary>CLI login codes.</summary>
    public LoginCodes Codes => new(Db, Tokens, Microsoft.Extensions.Options.Options.Create(Options), Time);

    /// <summary>A fresh migrated database on <paramref name="engine"/> with one provider, <c>sso</c>.</summary>
    public static async Task<AccountsHarness> CreateAsync(DatabaseEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        var options = new AccountsOptions();
        options.Providers["sso"] = new OidcProviderOptions { Issuer = "https://sso.example.org", ClientId = "forgeline", ClientSecret = "s" };
        options.Providers["forge"] = new OidcProviderOptions { Issuer = "https://forge.example.org", ClientId = "forgeline", ClientSecret = "s", LinkExistingUsers = false };
        return new AccountsHarness(database, db, options);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await database.DisposeAsync();
    }
}

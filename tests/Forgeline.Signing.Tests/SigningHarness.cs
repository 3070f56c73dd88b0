using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Signing.Tests;

/// <summary>The signer's services wired as in the server, on a fresh SQLite database, a master key file and a fake clock.</summary>
public sealed class SigningHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private SigningHarness(TempDirectory home, Dictionary<string, string?> settings)
    {
        Home = home;
        Paths = new ForgelinePaths(home["data"]);
        Directory.CreateDirectory(Paths.Root);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineSqlite(Paths.Database));
        collection.AddForgelineSigning(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), Paths);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The fake clock.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Data directory.</summary>
    public ForgelinePaths Paths { get; }

    /// <summary>Scratch space (the harness owns it).</summary>
    public TempDirectory Home { get; }

    /// <summary>A harness with a migrated database; settings as in Forgeline:Signing:*.</summary>
    public static async Task<SigningHarness> CreateAsync(TempDirectory? home = null, Dictionary<string, string?>? settings = null)
    {
        var harness = new SigningHarness(home ?? new TempDirectory("forgeline-signing"), settings ?? []);
        await using var scope = harness.services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
        return harness;
    }

    /// <summary>Runs a key-management call in a fresh scope.</summary>
    public async Task<T> Keys<T>(Func<SigningKeyService, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SigningKeyService>());
    }

    /// <summary>Runs a signing call in a fresh scope.</summary>
    public async Task<T> Signing<T>(Func<SigningService, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SigningService>());
    }

    /// <summary>Disposes the services but keeps the directory (to reopen the same data).</summary>
    public async ValueTask CloseAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        Home.Dispose();
    }
}

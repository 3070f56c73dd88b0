using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>One <c>forgeline server</c> with its embedded worker, shared by the tests of a class.</summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public ForgelineServer Server { get; private set; } = null!;

    /// <summary>Settings (environment) for the server; subclasses override to tighten limits.</summary>
    protected virtual Dictionary<string, string?> Settings => new() { ["Forgeline__Builds__ReapIntervalSeconds"] = "1" };

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await ForgelineServer.StartAsync(embeddedWorker: true, Settings);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A server with tight limits: a 6 s build timeout, a 200 KB log limit, 64 KB uploads.</summary>
public sealed class LimitedServerFixture : ServerFixture
{
    /// <inheritdoc />
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Forgeline__Builds__TimeoutSeconds"] = "6",
        ["Forgeline__Builds__LogLimitBytes"] = "200000",
        ["Forgeline__Builds__MaxUploadBytes"] = "65536",
    };
}

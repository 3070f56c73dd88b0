using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Accounts;
using Forgeline.Web.Auth;
using Forgeline.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Forgeline.Server;

/// <summary>
/// The worker inside <c>forgeline server</c>, so one command gives a working farm. It is the same agent as
/// <c>forgeline worker</c> and talks to its own server over HTTP with a token made fresh at each start.
/// </summary>
public sealed class EmbeddedWorker(
    IServer server,
    IHostApplicationLifetime lifetime,
    IServiceScopeFactory scopes,
    ForgelinePaths paths,
    IConfiguration configuration,
    ILoggerFactory loggers) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        string token;
        await using (var scope = scopes.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<TokenService>().RecreateAsync("embedded-worker", [Scopes.Worker], stoppingToken);
        }

        var options = new WorkerOptions { Name = $"{Environment.MachineName.ToLowerInvariant()}-embedded", WorkDirectory = paths.Work };
        configuration.GetSection(WorkerOptions.Section).Bind(options);
        var agent = new BuildAgent(Options.Create(options), () => new ForgelineClient(new Uri(address + "/"), token), loggers.CreateLogger<BuildAgent>());
        await agent.StartAsync(stoppingToken);
        // Stop the agent while the web server still answers, so it can hand its running job back to the queue.
        using var stopping = lifetime.ApplicationStopping.Register(() =>
            agent.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult());
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        await agent.StopAsync(CancellationToken.None);
    }
}

using Forgeline.Core.Client;
using Forgeline.Core.Playground;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Hosting;

/// <summary>
/// Tells the server, every few seconds, that this playground host is there, where it listens, its secret, and the
/// sessions it runs; ends the sessions the server no longer knows (it restarted, or ended them while unreachable).
/// </summary>
public sealed partial class HostReporter(
    string name, Uri advertised, string secret, PlaygroundHost host, Func<ForgelineClient> clients, TimeProvider time, ILogger<HostReporter> logger) : BackgroundService
{
    /// <summary>How often the host reports.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = clients();
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sessions = host.List();
                var known = (await client.ReportPlaygroundHostAsync(name, new PlaygroundHostReport(advertised.ToString(), secret, host.Capacity, sessions), stoppingToken))
                    .ToHashSet(StringComparer.Ordinal);
                var now = time.GetUtcNow().UtcDateTime;
                foreach (var orphan in sessions.Where(s => !known.Contains(s.Id) && s.StartedAt < now - Settle))
                {
                    await host.EndAsync(orphan.Id, "the server does not know this session");
                }

                if (failing)
                {
                    LogBack(name);
                    failing = false;
                }
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    LogFailed(name, e.Message);
                    failing = true;
                }
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playground host {Host} cannot report to the server: {Problem}")]
    private partial void LogFailed(string host, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground host {Host} reaches the server again")]
    private partial void LogBack(string host);
}

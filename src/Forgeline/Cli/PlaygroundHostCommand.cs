using System.CommandLine;
using System.Security.Cryptography;
using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Playground.Hosting;
using Forgeline.Playground.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Forgeline.Cli;

/// <summary>
/// <c>forgeline playground-host</c>: a machine that runs playground sessions for a server. It listens for the server
/// (start, end, the terminal's WebSocket), and reports to it every few seconds where it is and what it runs.
/// </summary>
public static class PlaygroundHostCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var name = new Option<string?>("--name") { Description = "The host's name (default: host name)" };
        var listen = new Option<string>("--listen") { Description = "Where to listen for the server", DefaultValueFactory = _ => "http://0.0.0.0:5090" };
        var advertise = new Option<string?>("--advertise") { Description = "The URL the server reaches this host at (default: --listen, with this machine's name for 0.0.0.0)" };
        var maxSessions = new Option<int?>("--max-sessions") { Description = "Sessions at once (default 16)" };
        var data = new Option<string?>("--data") { Description = "Images, kept homes and the mount point (default: FORGELINE_HOME/playground)" };
        var cgroup = new Option<string?>("--cgroup") { Description = "A delegated cgroup v2 directory for the sessions (default: this process's own)" };
        var command = new Command("playground-host", "Run playground sessions for a server (needs a token with the playground-host scope)")
        {
            name, listen, advertise, maxSessions, data, cgroup,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliSettings settings;
            try
            {
                settings = CliSettings.Resolve(parse);
                settings.CreateClient().Dispose();
                CliSettings.WarnIfTokenOnCommandLine(parse, "playground-host");
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
                return 2;
            }

            var hostName = parse.GetValue(name) ?? Environment.MachineName.ToLowerInvariant();
            var listenUrl = parse.GetValue(listen)!;
            var advertised = parse.GetValue(advertise) ?? listenUrl.Replace("://0.0.0.0", "://" + Environment.MachineName.ToLowerInvariant(), StringComparison.Ordinal);
            if (!ResourceName.IsValid(hostName) || !Uri.TryCreate(advertised, UriKind.Absolute, out var advertisedUrl) || parse.GetValue(maxSessions) is < 1 or > 10000)
            {
                await Console.Error.WriteLineAsync($"forgeline: --name must be {ResourceName.Rule}, --advertise an absolute URL, --max-sessions 1–10000");
                return 2;
            }

            var options = new PlaygroundHostOptions { DataDirectory = parse.GetValue(data) ?? ForgelinePaths.FromEnvironment(null).Playground };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Configuration.GetSection(PlaygroundHostOptions.Section).Bind(options);
            options.MaxSessions = parse.GetValue(maxSessions) ?? options.MaxSessions;
            options.CgroupBase = parse.GetValue(cgroup) ?? options.CgroupBase;
            builder.WebHost.UseUrls(listenUrl);
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);
            builder.Logging.UseForgelineLogs(ConsoleLogging.Choose(null).Format ?? LogFormat.Json);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
            var secret = RandomNumberGenerator.GetHexString(64, lowercase: true);
            builder.Services.AddSingleton(sp => PlaygroundHosts.Create(options, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddHostedService(sp => new HostReporter(
                hostName, advertisedUrl, secret, sp.GetRequiredService<PlaygroundHost>(), () => settings.CreateClient(), TimeProvider.System, sp.GetRequiredService<ILogger<HostReporter>>()));
            await using var app = builder.Build();
            var host = app.Services.GetRequiredService<PlaygroundHost>();
            app.UseWebSockets();
            app.MapPlaygroundHostEndpoints(host, secret);
            // Stop every session before the process goes: nothing of them may outlive the host.
            app.Lifetime.ApplicationStopping.Register(() => host.DisposeAsync().AsTask().GetAwaiter().GetResult());
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

using Forgeline.Images.Server;
using Forgeline.Meetings.Server;
using Forgeline.Bot;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Projects;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.Events;
using Forgeline.MessageCenter;
using Forgeline.Playground.Server;
using Forgeline.Projects;
using Forgeline.Web;
using Forgeline.Worker.Sandbox;
using Forgeline.Worker.Specs;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Server;

/// <summary>Composes <c>forgeline server</c>: the database, the build farm, the API and UI, and the embedded worker.</summary>
public static class ServerHost
{
    /// <summary>Builds the web application for the given data directory, listen URLs, targets and console log format.</summary>
    /// <param name="targetsChosen">Whether the user named the targets (--targets); otherwise they are "all" (less --no-worker).</param>
    public static WebApplication Build(string[] args, ForgelinePaths paths, string? urls, ServerTargets targets, LogFormat logFormat = LogFormat.Json, bool targetsChosen = false)
    {
        Directory.CreateDirectory(paths.Root);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls ?? builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
        builder.Logging.UseForgelineLogs(logFormat);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(TimeProvider.System);
        var database = DatabaseSettingsFrom(builder.Configuration, paths);
        builder.Services.AddSingleton(database);
        // Pooled: a context is reset and reused instead of built per scope (its internal service scope, options and
        // dependencies); that building was about 40 % of the review bot's CPU per delivery (bench/bot-deliveries).
        var outboxSignal = new OutboxSignal();
        builder.Services.AddDbContextPool<ForgelineDbContext>(o => o.UseForgelineDatabase(database, outboxSignal));
        builder.Services.AddForgelineEvents(builder.Configuration);
        builder.Services.AddForgelineBuilds(builder.Configuration, paths, runScheduler: targets.HasFlag(ServerTargets.Scheduler));
        targets = SigningBackends.Add(builder.Services, builder.Configuration, paths, targets, targetsChosen);
        builder.Services.AddForgelineProjects(builder.Configuration, runCoordinator: targets.HasFlag(ServerTargets.Scheduler));
        // Specs are read in the same bubblewrap sandbox builds run in: rpmspec runs the spec's shell and Lua.
        builder.Services.AddSingleton<ISpecReader>(sp => new SandboxSpecReader(new BubblewrapSandbox(), Path.Combine(paths.Root, "specs"), time: sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddForgelineBot(builder.Configuration, runProcessor: targets.HasFlag(ServerTargets.Bot));
        builder.Services.AddForgelineMessageCenter(builder.Configuration, outboxSignal, runDispatcher: targets.HasFlag(ServerTargets.Events));
        builder.Services.AddForgelinePlayground(builder.Configuration, paths, runHost: targets.HasFlag(ServerTargets.Playground));
        builder.Services.AddForgelineImages(builder.Configuration, runCoordinator: targets.HasFlag(ServerTargets.Scheduler));
        builder.Services.AddForgelineMeetings(builder.Configuration, runCoordinator: targets.HasFlag(ServerTargets.Scheduler));
        builder.Services.AddForgelineWeb(builder.Configuration, paths);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<BuildsOptions>>((kestrel, builds) =>
            // Above every legitimate body (uploads, log batches); the endpoints enforce the exact limits with clear messages.
            kestrel.Limits.MaxRequestBodySize = Math.Max(builds.Value.MaxUploadBytes, 4L * 1024 * 1024) + 1024 * 1024);
        if (targets.HasFlag(ServerTargets.Worker))
        {
            builder.Services.AddHostedService<EmbeddedWorker>();
        }

        var app = builder.Build();
        app.MapForgelineWeb(targets);
        return app;
    }

    /// <summary>
    /// The database from <c>FORGELINE_DATABASE</c>, else <c>Forgeline:Database</c>, else SQLite under the data directory;
    /// throws <see cref="Cli.CliException"/> with a message naming the setting when the value is not understood.
    /// </summary>
    public static DatabaseSettings DatabaseSettingsFrom(IConfiguration configuration, ForgelinePaths paths)
    {
        var value = configuration[DatabaseSettings.EnvironmentVariable] is { Length: > 0 } fromEnvironment ? fromEnvironment : configuration[DatabaseSettings.ConfigurationKey];
        var (settings, problem) = DatabaseSettings.Parse(value, paths.Database);
        if (settings is null)
        {
            throw new Cli.CliException(problem!);
        }

        if (settings.FilePath is { } file && Path.GetDirectoryName(file) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return settings;
    }

    /// <summary>Migrates the database and creates the first admin token; returns its secret when it was just created.</summary>
    public static async Task<string?> PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        await DatabaseMigrator.MigrateAsync(db, cancellationToken);
        var paths = scope.ServiceProvider.GetRequiredService<ForgelinePaths>();
        // The bot's YAML is read now, so a bad file (an unknown plugin, a missing secret) stops start-up with its message.
        _ = scope.ServiceProvider.GetRequiredService<BotRuntime>();
        return await AdminToken.EnsureAsync(scope.ServiceProvider.GetRequiredService<Accounts.TokenService>(), paths, cancellationToken);
    }
}

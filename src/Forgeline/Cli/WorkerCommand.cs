using System.CommandLine;
using Forgeline.Core.Client;
using Forgeline.Worker;
using Microsoft.Extensions.Options;

namespace Forgeline.Cli;

/// <summary><c>forgeline worker</c>: a build agent that pulls jobs from a server over HTTP.</summary>
public static class WorkerCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var name = new Option<string?>("--name") { Description = "Worker name (default: host name)" };
        var slots = new Option<int>("--slots") { Description = "Builds to run at once", DefaultValueFactory = _ => 1 };
        var arch = new Option<string?>("--arch") { Description = "Architecture to build for (default: this machine's)" };
        var workDir = new Option<string?>("--work-dir") { Description = "Where build directories are made" };
        var command = new Command("worker", "Join a Forgeline farm as a build worker (needs a token with the worker scope)") { name, slots, arch, workDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Resolve(parse.GetValue(ForgelineCommandLine.ServerOption), parse.GetValue(ForgelineCommandLine.TokenOption));
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.UseForgelineJsonLogs();
            var options = new WorkerOptions { Slots = parse.GetValue(slots) };
            builder.Configuration.GetSection(WorkerOptions.Section).Bind(options);
            options.Name = parse.GetValue(name) ?? options.Name;
            options.Arch = parse.GetValue(arch) ?? options.Arch;
            options.WorkDirectory = parse.GetValue(workDir) ?? options.WorkDirectory;
            try
            {
                // Fail now, with the reason, when no server is configured; each slot makes its own client later.
                settings.CreateClient().Dispose();
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
                return 2;
            }

            builder.Services.AddSingleton(Options.Create(options));
            builder.Services.AddSingleton<Func<ForgelineClient>>(() => settings.CreateClient());
            builder.Services.AddHostedService<BuildAgent>();
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

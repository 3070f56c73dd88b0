using System.CommandLine;
using System.Globalization;
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
        var slots = new Option<int?>("--slots") { Description = "Builds to run at once (default 1)" };
        var arch = new Option<string?>("--arch") { Description = "Architecture to build for (default: this machine's)" };
        var workDir = new Option<string?>("--work-dir") { Description = "Where build directories are made" };
        var labels = new Option<string[]>("--label") { Description = "A capability builds can ask for, e.g. kvm or big (repeatable; replaces Forgeline:Worker:Labels)" };
        var environment = new Option<string?>("--environment") { Description = "Name of the build environment (default: computed from the OS and toolchain)" };
        var ccacheDir = new Option<string?>("--ccache-dir") { Description = "Compiler cache directory (default: <work-dir>/ccache-<environment>)" };
        var noCcache = new Option<bool>("--no-ccache") { Description = "Build without the compiler cache even when ccache is installed" };
        var rootCache = new Option<string?>("--root-cache") { Description = "Cache of build roots and downloaded RPMs (default: <work-dir>/root-cache)" };
        var rootCachePackages = new Option<int?>("--root-cache-packages-mb") { Description = "MiB of downloaded RPMs kept per target (default 4096)" };
        var noRoots = new Option<bool>("--no-build-roots") { Description = "Take only builds without a target (host toolchain), even when dnf is installed" };
        var noImages = new Option<bool>("--no-images") { Description = "Take no image jobs (OS image builds, VM tests), even when QEMU and the image tools are installed" };
        var vmAccelerator = new Option<string?>("--vm-accelerator") { Description = "auto (KVM when /dev/kvm opens, else TCG), kvm or tcg" };
        var once = new Option<bool>("--once") { Description = "Lease one job, run it, report it and exit (exit 0 also when no job came)" };
        var wait = new Option<int>("--wait") { Description = "With --once: seconds to wait for a job", DefaultValueFactory = _ => 60 };
        var command = new Command("worker", "Join a Forgeline farm as a build worker (needs a token with the worker scope)")
        {
            name, slots, arch, workDir, labels, environment, ccacheDir, noCcache, rootCache, rootCachePackages, noRoots, noImages, vmAccelerator, once, wait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliSettings settings;
            try
            {
                settings = CliSettings.Resolve(parse);
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
                return 2;
            }

            CliSettings.WarnIfTokenOnCommandLine(parse, "worker");
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.UseForgelineLogs(ConsoleLogging.Choose(null).Format ?? LogFormat.Json);
            // Configuration first (Forgeline:Worker:*), then the flags that were given.
            var options = new WorkerOptions();
            builder.Configuration.GetSection(WorkerOptions.Section).Bind(options);
            options.Name = parse.GetValue(name) ?? options.Name;
            options.Slots = parse.GetValue(slots) ?? options.Slots;
            options.Arch = parse.GetValue(arch) ?? options.Arch;
            options.WorkDirectory = parse.GetValue(workDir) ?? options.WorkDirectory;
            options.Labels = parse.GetValue(labels) is { Length: > 0 } given ? [.. given.Distinct(StringComparer.Ordinal)] : options.Labels;
            options.Environment = parse.GetValue(environment) ?? options.Environment;
            options.CcacheDirectory = parse.GetValue(ccacheDir) ?? options.CcacheDirectory;
            options.Ccache &= !parse.GetValue(noCcache);
            options.RootCacheDirectory = parse.GetValue(rootCache) ?? options.RootCacheDirectory;
            options.RootCachePackagesMegabytes = parse.GetValue(rootCachePackages) ?? options.RootCachePackagesMegabytes;
            options.BuildRoots &= !parse.GetValue(noRoots);
            options.Images &= !parse.GetValue(noImages);
            options.VmAccelerator = parse.GetValue(vmAccelerator) ?? options.VmAccelerator;
            var problems = options.FindProblems().ToList();
            if (parse.GetValue(wait) is < 0 or > 86400)
            {
                problems.Add($"--wait must be between 0 and 86400 seconds, not {parse.GetValue(wait).ToString(CultureInfo.InvariantCulture)}");
            }

            try
            {
                // Fail now, with the reason, when no server is configured; each slot makes its own client later.
                settings.CreateClient().Dispose();
            }
            catch (CliException e)
            {
                problems.Add(e.Message);
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync($"forgeline: {problem}");
                }

                return 2;
            }

            builder.Services.AddSingleton(Options.Create(options));
            builder.Services.AddSingleton<Func<ForgelineClient>>(() => settings.CreateClient());
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
            if (parse.GetValue(once))
            {
                builder.Services.AddSingleton<BuildAgent>();
                using var onceHost = builder.Build();
                return await RunOnceAsync(onceHost, TimeSpan.FromSeconds(parse.GetValue(wait)));
            }

            builder.Services.AddHostedService<BuildAgent>();
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// One job, for a Kubernetes Job pod: the host only provides logging and SIGTERM handling (a job running at SIGTERM
    /// is handed back to the queue). Exit 0 when a job ran or none came; 1 when the server could not be reached.
    /// </summary>
    private static async Task<int> RunOnceAsync(IHost host, TimeSpan wait)
    {
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var agent = host.Services.GetRequiredService<BuildAgent>();
        var result = await agent.RunOnceAsync(wait, lifetime.ApplicationStopping);
        await host.StopAsync();
        if (result == SingleJobResult.ServerUnreachable)
        {
            await Console.Error.WriteLineAsync($"forgeline: the server could not be reached within {wait.TotalSeconds:0}s");
            return 1;
        }

        if (result == SingleJobResult.NoJob)
        {
            await Console.Error.WriteLineAsync($"forgeline: no job came within {wait.TotalSeconds:0}s");
        }

        return 0;
    }
}

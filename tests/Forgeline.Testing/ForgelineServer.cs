using Forgeline.Core;
using System.Net;
using System.Net.Sockets;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;

namespace Forgeline.Testing;

/// <summary>
/// A real <c>forgeline server</c> process on a free loopback port with its own data directory, plus helpers to start
/// workers and run the CLI against it. Restartable, so tests can stop or kill it and start it again on the same data.
/// </summary>
public sealed class ForgelineServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> environment;
    private readonly bool embeddedWorker;
    private readonly List<ForgelineProcess> workers = [];

    private readonly string[] extraArguments;

    private ForgelineServer(TempDirectory home, int port, bool embeddedWorker, IDictionary<string, string?> settings, string[] extraArguments)
    {
        this.extraArguments = extraArguments;
        Home = home;
        Port = port;
        this.embeddedWorker = embeddedWorker;
        environment = new Dictionary<string, string?>(settings)
        {
            ["XDG_CONFIG_HOME"] = home["config"],
            ["DOTNET_NOLOGO"] = "1",
            ["FORGELINE_URL"] = null,
            ["FORGELINE_TOKEN"] = null,
        };
        // A test may put the data directory elsewhere (on a small disk, say).
        environment.TryAdd("FORGELINE_DATA", home["data"]);
    }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory => environment["FORGELINE_DATA"]!;

    /// <summary>The directory holding data, config and scratch files of this server.</summary>
    public TempDirectory Home { get; }

    /// <summary>The listen port.</summary>
    public int Port { get; }

    /// <summary>Base URL.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The running server process.</summary>
    public ForgelineProcess Process { get; private set; } = null!;

    /// <summary>The admin token made at first start.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>Environment passed to every process of this server (settings such as short leases).</summary>
    public IReadOnlyDictionary<string, string?> Environment => environment;

    /// <summary>Starts a server; <paramref name="settings"/> are extra environment variables (e.g. Forgeline__Builds__LeaseSeconds), <paramref name="extraArguments"/> extra flags.</summary>
    public static Task<ForgelineServer> StartAsync(bool embeddedWorker = true, IDictionary<string, string?>? settings = null, params string[] extraArguments) =>
        StartOnPortAsync(FreePort(), embeddedWorker, settings, extraArguments);

    /// <summary>Starts a server on <paramref name="port"/> (chosen beforehand when another service must know the URL, such as an OpenID provider's redirect URI).</summary>
    public static async Task<ForgelineServer> StartOnPortAsync(int port, bool embeddedWorker = true, IDictionary<string, string?>? settings = null, params string[] extraArguments)
    {
        var server = new ForgelineServer(new TempDirectory("forgeline-server"), port, embeddedWorker, settings ?? new Dictionary<string, string?>(), extraArguments);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts the server process (again) on the same data and port and waits until it is ready.</summary>
    public async Task StartProcessAsync()
    {
        var args = new List<string> { "server", "--urls", $"http://127.0.0.1:{Port}" };
        if (!embeddedWorker)
        {
            args.Add("--no-worker");
        }

        args.AddRange(extraArguments);

        Process = ForgelineProcess.Start(args, environment);
        // The banner comes after ASP.NET's "Application started": waiting for it means the start-up is over.
        await Process.WaitForOutputAsync("Forgeline is listening on", TimeSpan.FromSeconds(60));
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-token"))).Trim();
    }

    /// <summary>A client with the admin token (or another).</summary>
    public ForgelineClient Client(string? token = null) => new(Url, token ?? AdminToken);

    /// <summary>A new token with the worker scope.</summary>
    public async Task<string> CreateWorkerTokenAsync(string name)
    {
        using var admin = Client();
        return (await admin.CreateTokenAsync(new Core.Tokens.CreateTokenRequest($"worker-{name}-{Guid.NewGuid():N}"[..30], ["worker"]))).Token;
    }

    /// <summary>The work directory of the worker <paramref name="name"/> started by <see cref="StartWorkerAsync"/>.</summary>
    public string WorkDirectory(string name) => Home[$"work-{name}"];

    /// <summary>
    /// Starts <c>forgeline worker</c> as its own process with a worker token; a worker of a name started before (then
    /// killed, say) comes back with the same token file and work directory, as on a restarted host.
    /// </summary>
    public async Task<ForgelineProcess> StartWorkerAsync(string name, int slots = 1)
    {
        // From a file, as docs/operations.md advises: a --token would show in ps.
        var tokenFile = Home[$"worker-{name}.token"];
        if (!File.Exists(tokenFile))
        {
            PrivateFile.WriteAllText(tokenFile, await CreateWorkerTokenAsync(name));
        }

        var worker = ForgelineProcess.Start(
            ["worker", "--server", Url.ToString(), "--token-file", tokenFile, "--name", name, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--work-dir", WorkDirectory(name)],
            environment);
        workers.Add(worker);
        await worker.WaitForOutputAsync("asking", TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>Runs the CLI with the admin token in the environment.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args) => CliAsync(args, AdminToken);

    /// <summary>Runs the CLI with a given token (null: none).</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(string[] args, string? token)
    {
        var env = new Dictionary<string, string?>(environment) { ["FORGELINE_URL"] = Url.ToString(), ["FORGELINE_TOKEN"] = token };
        return ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, .. args], Home.Path, env);
    }

    /// <summary>Runs <c>forgeline build ARGS</c> (without --follow) and returns the printed build id.</summary>
    public async Task<long> SubmitAsync(params string[] args)
    {
        var (code, stdout, stderr) = await CliAsync(["build", .. args]);
        if (code != 0)
        {
            throw new InvalidOperationException($"forgeline build {string.Join(' ', args)} exited {code}: {stderr}");
        }

        return long.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the build's log contains <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(long id, string text)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var log = new MemoryStream();
            await client.StreamLogAsync(id, follow: false, log);
            if (System.Text.Encoding.UTF8.GetString(log.ToArray()).Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' never appeared in the log of build {id}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Polls the API until the build is final (or the timeout passes).</summary>
    public async Task<BuildDto> WaitForFinalAsync(long id, TimeSpan? timeout = null)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            var build = await client.GetBuildAsync(id);
            if (build.StateValue.IsFinal())
            {
                return build;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"build {id} still {build.State}; server output:\n{Process.Output}\nworkers:\n{string.Join("\n---\n", workers.Select(w => w.Output))}");
            }

            await Task.Delay(200);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        await Process.DisposeAsync();
        Home.Dispose();
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

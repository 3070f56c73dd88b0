using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Testing;

namespace Forgeline.FaultRun;

/// <summary>
/// A server (without its embedded worker) and named workers as real processes, each of which can be killed with
/// SIGKILL and started again: the server on the same data directory and port, a worker with the same name, token file
/// and work directory. Unlike <see cref="ForgelineServer"/> the data directory can be a mount point made beforehand.
/// </summary>
internal sealed class Farm : IAsyncDisposable
{
    private readonly Dictionary<string, string?> environment;
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ForgelineProcess> workers = new(StringComparer.Ordinal);
    private readonly List<(string Target, ForgelineProcess Process)> started = [];

    /// <summary>A farm whose server keeps its state in <paramref name="dataDirectory"/>; <paramref name="home"/> holds tokens and work directories.</summary>
    public Farm(string home, string dataDirectory, IDictionary<string, string?> settings)
    {
        Home = home;
        DataDirectory = dataDirectory;
        Port = ForgelineServer.FreePort();
        environment = new Dictionary<string, string?>(settings)
        {
            ["FORGELINE_DATA"] = dataDirectory,
            ["XDG_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["DOTNET_NOLOGO"] = "1",
            ["FORGELINE_URL"] = null,
            ["FORGELINE_TOKEN"] = null,
        };
    }

    /// <summary>Tokens, configuration and the workers' work directories.</summary>
    public string Home { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The listen port, the same across restarts.</summary>
    public int Port { get; }

    /// <summary>The running (or last) server process.</summary>
    public ForgelineProcess? Server { get; private set; }

    /// <summary>The admin token made at the first start.</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The names of the workers.</summary>
    public IReadOnlyCollection<string> WorkerNames => slots.Keys;

    /// <summary>The running (or last) process of a worker.</summary>
    public ForgelineProcess Worker(string name) => workers[name];

    /// <summary>A worker's work directory.</summary>
    public string WorkDirectory(string name) => Path.Combine(Home, $"work-{name}");

    /// <summary>A client with the admin token.</summary>
    public ForgelineClient Client() => new(new Uri($"http://127.0.0.1:{Port}/"), AdminToken);

    /// <summary>Starts the server (again) and waits until it listens.</summary>
    public async Task StartServerAsync()
    {
        Server = ForgelineProcess.Start(["server", "--urls", $"http://127.0.0.1:{Port}", "--no-worker"], environment, Home);
        started.Add(("server", Server));
        await Server.WaitForOutputAsync("Forgeline is listening on", TimeSpan.FromSeconds(90));
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-token"))).Trim();
    }

    /// <summary>Adds a worker with its own token (made through the running server) and starts it.</summary>
    public async Task AddWorkerAsync(string name, int workerSlots)
    {
        using var client = Client();
        var token = await client.CreateTokenAsync(new Core.Tokens.CreateTokenRequest($"worker-{name}-{Guid.NewGuid():N}"[..30], ["worker"]));
        PrivateFile.WriteAllText(TokenFile(name), token.Token);
        slots[name] = workerSlots;
        await StartWorkerAsync(name);
    }

    /// <summary>Starts a worker (again) with the same name, token file and work directory; waits until it asks for work.</summary>
    public async Task StartWorkerAsync(string name)
    {
        var worker = ForgelineProcess.Start(
            ["worker", "--server", $"http://127.0.0.1:{Port}/", "--token-file", TokenFile(name), "--name", name,
                "--slots", slots[name].ToString(CultureInfo.InvariantCulture), "--work-dir", WorkDirectory(name)],
            environment, Home);
        workers[name] = worker;
        started.Add((name, worker));
        await worker.WaitForOutputAsync("asking", TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL of the server or of a worker ("server" or a worker's name).</summary>
    public Task KillAsync(string target) => target == "server" ? Server!.KillAsync() : workers[target].KillAsync();

    /// <summary>Starts the server or a worker again after a kill.</summary>
    public Task RestartAsync(string target) => target == "server" ? StartServerAsync() : StartWorkerAsync(target);

    /// <summary>SIGTERM to every worker, then to the server; returns the workers' exit codes.</summary>
    public async Task<Dictionary<string, int>> StopAsync()
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, worker) in workers)
        {
            codes[name] = await worker.StopAsync(TimeSpan.FromSeconds(60));
        }

        if (Server is not null)
        {
            await Server.StopAsync(TimeSpan.FromSeconds(60));
        }

        return codes;
    }

    /// <summary>The attempts' work directories (<c>build-*</c>) left in each worker's work directory.</summary>
    public List<string> LeftoverWorkDirectories() =>
        WorkerNames.Where(n => Directory.Exists(WorkDirectory(n)))
            .SelectMany(n => Directory.EnumerateDirectories(WorkDirectory(n), "build-*").Select(d => $"{n}/{Path.GetFileName(d)}"))
            .ToList();

    /// <summary>Everything the processes printed, for a report of a bug.</summary>
    public string Output(string target) => target == "server" ? Server?.Output ?? "" : workers[target].Output;

    /// <summary>Writes what every process of this farm printed (the killed ones too) into <paramref name="directory"/>, in start order, and <paramref name="notes"/> to notes.txt.</summary>
    public void SaveOutputs(string directory, IEnumerable<string> notes)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "notes.txt"), notes);
        foreach (var ((target, process), index) in started.Select((p, i) => (p, i)))
        {
            File.WriteAllText(Path.Combine(directory, $"{index:D2}-{target}-{process.Id}.log"), process.Output);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in started)
        {
            await process.DisposeAsync();
        }
    }

    private string TokenFile(string name) => Path.Combine(Home, $"worker-{name}.token");
}

using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Testing;

namespace Forgeline.FaultRun;

/// <summary>
/// A <see cref="ForgelineServer"/> (without its embedded worker) and named workers, each of which can be killed with
/// SIGKILL and started again: the server on the same data directory and port, a worker with the same name, token file
/// and work directory. Keeps every process it started, the killed ones too, for the run's logs.
/// </summary>
internal sealed class Farm(IDictionary<string, string?> settings) : IAsyncDisposable
{
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ForgelineProcess> workers = new(StringComparer.Ordinal);
    private readonly List<(string Target, ForgelineProcess Process)> started = [];
    private ForgelineServer? farm;

    private ForgelineServer Running => farm ?? throw new InvalidOperationException("the server has not been started");

    /// <summary>The listen port, the same across restarts.</summary>
    public int Port => Running.Port;

    /// <summary>The running (or last) server process.</summary>
    public ForgelineProcess? Server => farm?.Process;

    /// <summary>The names of the workers.</summary>
    public IReadOnlyCollection<string> WorkerNames => slots.Keys;

    /// <summary>The running (or last) process of a worker.</summary>
    public ForgelineProcess Worker(string name) => workers[name];

    /// <summary>A worker's work directory.</summary>
    public string WorkDirectory(string name) => Running.WorkDirectory(name);

    /// <summary>A client with the admin token.</summary>
    public ForgelineClient Client() => Running.Client();

    /// <summary>Starts the server (again) and waits until it listens.</summary>
    public async Task StartServerAsync()
    {
        if (farm is null)
        {
            farm = await ForgelineServer.StartAsync(embeddedWorker: false, settings);
        }
        else
        {
            await farm.StartProcessAsync();
        }

        started.Add(("server", farm.Process));
    }

    /// <summary>Adds a worker with <paramref name="workerSlots"/> slots and starts it.</summary>
    public async Task AddWorkerAsync(string name, int workerSlots)
    {
        slots[name] = workerSlots;
        await StartWorkerAsync(name);
    }

    /// <summary>Starts a worker (again) with the same name, token file and work directory; waits until it asks for work.</summary>
    public async Task StartWorkerAsync(string name)
    {
        var worker = await Running.StartWorkerAsync(name, slots[name]);
        workers[name] = worker;
        started.Add((name, worker));
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

        if (farm is not null)
        {
            await farm.DisposeAsync();
        }
    }
}

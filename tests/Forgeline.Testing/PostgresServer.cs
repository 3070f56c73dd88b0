using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Forgeline.Testing;

/// <summary>
/// A real PostgreSQL 15 from Debian's <c>postgresql</c> package on a free loopback port, started once per test process
/// by <see cref="SharedAsync"/> and stopped by its own pid when the process exits. Tests never share data: each takes a
/// fresh database from <see cref="CreateDatabaseAsync"/>. When PostgreSQL is not installed, starting it fails with a
/// message saying how to install it; tests that need it fail rather than skip.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Where Debian puts the PostgreSQL 15 server programs.</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private const string DirectoryPrefix = "forgeline-pg";
    private const int SigInt = 2;
    private const int SigQuit = 3;
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);

    private readonly TempDirectory home;
    private int stopped;

    private PostgresServer(TempDirectory home, int port, int pid)
    {
        this.home = home;
        Port = port;
        Pid = pid;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The postmaster's process id.</summary>
    public int Pid { get; }

    /// <summary>The data directory (<c>initdb -D</c>).</summary>
    public string DataDirectory => home["data"];

    /// <summary>A connection string to the <c>postgres</c> maintenance database as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>The server of this test process, started on first use.</summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// Stops the shared server if it was started; <see cref="ForgelineTestFramework"/> calls it when a test assembly ends.
    /// Without that, the process-exit handler stops it (but may be cut short before removing its directory).
    /// </summary>
    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await (await Shared.Value).DisposeAsync();
        }
    }

    /// <summary>Starts a server of its own in a new temporary directory; dispose it to stop it.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing); the database tests run against a real server: " +
                "run scripts/install-deps (it installs Debian's postgresql package) or apt-get install postgresql");
        }

        StopOrphans();
        var home = new TempDirectory(DirectoryPrefix);
        try
        {
            // Whose server this is, so a later run can stop it if this process dies without cleaning up.
            await File.WriteAllTextAsync(home["owner.pid"], Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            if (IsRoot)
            {
                // PostgreSQL refuses to run as root: the postgres user owns the cluster.
                await ProcessRunner.RunCheckedAsync("chown", "postgres:postgres", home.Path);
            }

            await RunAsync(home, "initdb", "-D", home["data"], "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                // Test data need not survive a power cut: no fsync makes CREATE DATABASE and migrations quick.
                var options = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={home.Path} " +
                              "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
                var (code, output) = await TryRunAsync(home, "pg_ctl", "-D", home["data"], "-w", "-t", "60", "-l", home["postgres.log"], "-o", options, "start");
                if (code == 0)
                {
                    var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(home["data"], "postmaster.pid")))[0], CultureInfo.InvariantCulture);
                    return new PostgresServer(home, port, pid);
                }

                if (attempt == 3)
                {
                    var log = File.Exists(home["postgres.log"]) ? await File.ReadAllTextAsync(home["postgres.log"]) : "";
                    throw new InvalidOperationException($"pg_ctl start exited {code}: {output}\n{log}");
                }
            }
        }
        catch
        {
            home.Dispose();
            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust authentication, no password).</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>Creates a new, empty database with a random name.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new PostgresDatabase(this, name);
    }

    /// <summary>Drops <paramref name="database"/>, ending the sessions still connected to it.</summary>
    public Task DropDatabaseAsync(string database) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");

    /// <summary>Stops the server (fast shutdown, by its pid) and removes its directory.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        StopPostmaster(Pid, DataDirectory);
        home.Dispose();
    }

    /// <summary>Fast shutdown (SIGINT) by pid; after 30 s, immediate shutdown (SIGQUIT).</summary>
    private static void StopPostmaster(int pid, string dataDirectory)
    {
        if (NativeMethods.Kill(pid, SigInt) != 0)
        {
            return;
        }

        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (IsRunning(pid) && File.Exists(pidFile))
        {
            if (DateTime.UtcNow > deadline)
            {
                _ = NativeMethods.Kill(pid, SigQuit);
                return;
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Stops servers left behind by test processes that died without stopping them (their owner pid is gone).</summary>
    private static void StopOrphans()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "-*"))
        {
            try
            {
                var owner = Path.Combine(dir, "owner.pid");
                if (!File.Exists(owner) || IsRunning(int.Parse(File.ReadAllText(owner), CultureInfo.InvariantCulture)))
                {
                    continue;
                }

                var data = Path.Combine(dir, "data");
                var pidFile = Path.Combine(data, "postmaster.pid");
                // The pid is checked against the data directory on its command line: pids are reused.
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var pid) &&
                    IsRunning(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains(data, StringComparison.Ordinal))
                {
                    StopPostmaster(pid, data);
                }

                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not ours to judge (another user's, or half-written): leave it.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        // A postmaster is not our child, so nothing here reaps it: a zombie counts as stopped.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task RunAsync(TempDirectory home, string program, params string[] args)
    {
        var (code, output) = await TryRunAsync(home, program, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} exited {code}: {output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(TempDirectory home, string program, params string[] args)
    {
        var path = Path.Combine(BinDirectory, program);
        // As root, run as the postgres user; its working directory must be one it may enter.
        var (file, arguments) = IsRoot ? ("runuser", new[] { "-u", "postgres", "--", path }.Concat(args)) : (path, args.AsEnumerable());
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(file, arguments, home.Path, timeout: TimeSpan.FromMinutes(2));
        return (code, stdout + stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}

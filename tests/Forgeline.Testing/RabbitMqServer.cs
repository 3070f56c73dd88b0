using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Forgeline.Testing;

/// <summary>
/// A real RabbitMQ node from Debian's rabbitmq-server on loopback, with its own epmd, ports, cookie, data and logs under a
/// temp directory. Start one per test assembly (an xunit collection fixture, or <see cref="StartAsync"/>) and give each test
/// its own vhost (<see cref="CreateVirtualHostAsync"/>), so tests share the node but not exchanges, queues or connections.
/// Stopped by its own pids: <c>rabbitmqctl stop</c>, then the epmd it started; a watchdog does the same if the test process
/// dies first. Needs the package (scripts/install-deps); without it, starting throws rather than skipping.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    /// <summary>The user every vhost grants full permissions to.</summary>
    public const string UserName = "forgeline";

    private const string Sbin = "/usr/lib/rabbitmq/lib";
    private readonly TempDirectory home = new("forgeline-rabbitmq");
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource booting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, string?> environment = [];
    private Process? epmd;
    private Process? server;
    private Process? watchdog;
    private string sbin = "";
    private int nextVirtualHost;

    /// <summary>Creates an unstarted node; xunit (as a collection fixture) or <see cref="StartAsync"/> then calls <see cref="InitializeAsync"/>.</summary>
    public RabbitMqServer()
    {
        NodeName = $"forgeline-{Guid.NewGuid().ToString("N")[..10]}@localhost";
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
    }

    /// <summary>Vhosts made at boot for <see cref="CreateVirtualHostAsync"/> (about 0.1 s each); later ones are made on demand, about 1 s each.</summary>
    public int VirtualHostPool { get; init; } = 24;

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The Erlang node name, for <c>rabbitmqctl -n</c>.</summary>
    public string NodeName { get; }

    /// <summary>The password of <see cref="UserName"/>.</summary>
    public string Password { get; }

    /// <summary>What the node printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts a node and waits until it accepts connections.</summary>
    public static async Task<RabbitMqServer> StartAsync(int virtualHosts = 8)
    {
        var server = new RabbitMqServer { VirtualHostPool = virtualHosts };
        await server.InitializeAsync();
        return server;
    }

    /// <summary>The broker URL of <paramref name="virtualHost"/>, as <c>FORGELINE_BROKER</c> takes it (with the password).</summary>
    public string Url(string virtualHost, string? password = null) =>
        $"amqp://{UserName}:{Uri.EscapeDataString(password ?? Password)}@127.0.0.1:{Port}/{Uri.EscapeDataString(virtualHost)}";

    /// <summary>A vhost no other test uses, with full permissions for <see cref="UserName"/>.</summary>
    public async Task<string> CreateVirtualHostAsync()
    {
        var n = Interlocked.Increment(ref nextVirtualHost);
        var name = VirtualHostName(n);
        if (n > VirtualHostPool)
        {
            var file = home[$"vhost-{n}.json"];
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(Definitions([name], includeUser: false)));
            await CtlAsync("import_definitions", file);
        }

        return name;
    }

    /// <summary>Runs <c>rabbitmqctl -q -n NODE args</c> and returns its output; throws with the output when it fails.</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(Path.Combine(sbin, "rabbitmqctl"), ["-q", "-n", NodeName, .. args], environment: environment, timeout: TimeSpan.FromSeconds(60));
        if (code != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} exited {code}: {stdout}\n{stderr}");
        }

        return stdout;
    }

    /// <summary>Closes every client connection on <paramref name="virtualHost"/> from the broker's side, as a network failure would.</summary>
    public Task CloseConnectionsAsync(string virtualHost) => CtlAsync("close_all_connections", "-p", virtualHost, "closed by a Forgeline test");

    /// <summary>
    /// Closes, from the broker's side, the one connection whose client-provided name contains <paramref name="clientName"/>:
    /// to the broker this is the same as the client process dying.
    /// </summary>
    public async Task CloseConnectionAsync(string clientName)
    {
        // One line per connection: its pid (as close_connection takes it), then the client properties holding the name.
        var listing = await CtlAsync("list_connections", "--no-table-headers", "pid", "client_properties");
        var pids = listing.Split('\n')
            .Where(line => line.Contains(clientName, StringComparison.Ordinal))
            .Select(line => line.Split('\t')[0].Trim())
            .ToList();
        if (pids.Count != 1)
        {
            throw new InvalidOperationException($"expected one connection named like '{clientName}', found {pids.Count}:\n{listing}");
        }

        await CtlAsync("close_connection", pids[0], "closed by a Forgeline test");
    }

    /// <summary>Starts epmd and the node and waits for <c>rabbitmqctl await_startup</c>.</summary>
    public async Task InitializeAsync()
    {
        sbin = FindSbin();
        var epmdPort = FreePort();
        Port = FreePort();
        var distPort = FreePort();
        var cookie = home[".erlang.cookie"];
        await File.WriteAllTextAsync(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        var definitions = home["definitions.json"];
        await File.WriteAllTextAsync(definitions, JsonSerializer.Serialize(Definitions(["/", .. Enumerable.Range(1, VirtualHostPool).Select(VirtualHostName)], includeUser: true)));
        await File.WriteAllTextAsync(home["rabbitmq.conf"], $"load_definitions = {definitions}\nlog.console.level = warning\n");
        await File.WriteAllTextAsync(home["enabled_plugins"], "[].\n");

        environment = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path, // the cookie above, for the node and for rabbitmqctl alike
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = home["mnesia"],
            ["RABBITMQ_LOG_BASE"] = home["log"],
            ["RABBITMQ_CONFIG_FILE"] = home["rabbitmq"],
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = home["enabled_plugins"],
            ["RABBITMQ_CONF_ENV_FILE"] = home["rabbitmq-env.conf"], // not /etc/rabbitmq's
            // epmd is ours: no Erlang VM may start one of its own. No busy-waiting schedulers on a shared machine.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false +sbwt none +sbwtdcpu none +sbwtdio none",
            ["RABBITMQ_CTL_ERL_ARGS"] = "-start_epmd false",
        };

        epmd = StartProcess("epmd", ["-address", "127.0.0.1", "-port", epmdPort.ToString(CultureInfo.InvariantCulture)], null);
        watchdog = StartProcess(
            "bash",
            ["-c", "tail --pid=\"$0\" -f /dev/null; \"$1\" -q -n \"$2\" stop >/dev/null 2>&1; kill \"$3\" 2>/dev/null; rm -rf \"$4\"",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture), Path.Combine(sbin, "rabbitmqctl"), NodeName, epmd.Id.ToString(CultureInfo.InvariantCulture), home.Path],
            environment);
        await WaitForPortAsync(epmdPort, epmd, "epmd");

        server = StartProcess(Path.Combine(sbin, "rabbitmq-server"), [], environment, Append);
        server.Exited += (_, _) => booting.TrySetException(new InvalidOperationException($"rabbitmq-server exited with {server.ExitCode} while starting:\n{Output}"));
        await booting.Task.WaitAsync(TimeSpan.FromSeconds(90));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CtlAsync("await_startup", "--timeout", "90");
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && !server.HasExited)
            {
                // The node prints its banner just before it registers with epmd; ask again.
            }
        }
    }

    /// <summary>Stops the node with <c>rabbitmqctl stop</c>, then the epmd and watchdog this fixture started, and removes the temp directory.</summary>
    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            try
            {
                await CtlAsync("stop");
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Killed below by its own pid.
            }

            await StopAsync(server, TimeSpan.FromSeconds(30));
        }

        await StopAsync(epmd, TimeSpan.Zero);
        await StopAsync(watchdog, TimeSpan.Zero);
        home.Dispose();
    }

    private static string VirtualHostName(int n) => $"test-{n:D3}";

    private object Definitions(IEnumerable<string> virtualHosts, bool includeUser)
    {
        var names = virtualHosts.ToList();
        // RabbitMQ's sha256 scheme: base64(salt ++ sha256(salt ++ password)) with a 4-byte salt.
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = Convert.ToBase64String([.. salt, .. SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(Password)])]);
        return new Dictionary<string, object>
        {
            ["users"] = includeUser
                ? new[] { new Dictionary<string, object> { ["name"] = UserName, ["password_hash"] = hash, ["hashing_algorithm"] = "rabbit_password_hashing_sha256", ["tags"] = new[] { "administrator" } } }
                : [],
            ["vhosts"] = names.Select(n => new Dictionary<string, string> { ["name"] = n }).ToArray(),
            ["permissions"] = names.Select(n => new Dictionary<string, string> { ["user"] = UserName, ["vhost"] = n, ["configure"] = ".*", ["write"] = ".*", ["read"] = ".*" }).ToArray(),
        };
    }

    private static string FindSbin()
    {
        var candidates = Directory.Exists(Sbin) ? Directory.GetDirectories(Sbin, "rabbitmq_server-*").Order(StringComparer.Ordinal).ToList() : [];
        var found = candidates.Select(d => Path.Combine(d, "sbin")).LastOrDefault(d => File.Exists(Path.Combine(d, "rabbitmq-server")));
        return found ?? throw new InvalidOperationException(
            $"RabbitMQ is not installed: no {Sbin}/rabbitmq_server-*/sbin/rabbitmq-server. Run scripts/install-deps (it installs Debian's rabbitmq-server).");
    }

    private static Process StartProcess(string file, IEnumerable<string> args, IDictionary<string, string?>? env, Action<string?>? onOutput = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => onOutput?.Invoke(e.Data);
        process.ErrorDataReceived += (_, e) => onOutput?.Invoke(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process? process, TimeSpan grace)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                try
                {
                    await process.WaitForExitAsync().WaitAsync(grace);
                }
                catch (TimeoutException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    private static async Task WaitForPortAsync(int port, Process owner, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !owner.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"{what} is not listening on 127.0.0.1:{port}{(owner.HasExited ? $" (it exited with {owner.ExitCode})" : "")}", ex);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (line.Contains("Starting broker", StringComparison.Ordinal))
        {
            booting.TrySetResult();
        }
    }
}

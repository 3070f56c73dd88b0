using System.Globalization;
using Forgeline.Core.Playground;

namespace Forgeline.Playground.Sessions;

/// <summary>
/// The control group of one session: its CPU, memory and process limits, what it uses, and the one way to end every
/// process in it at once. On a cgroup v2 machine it is one directory in the unified hierarchy under
/// <see cref="CgroupLayout.Base"/>; on a hybrid machine (cgroup v1 controllers, as many container hosts still run) it
/// is one directory in each of the <c>cpu</c>, <c>cpuacct</c>, <c>memory</c> and <c>pids</c> hierarchies, plus one in
/// the unified hierarchy when it is mounted, for <c>cgroup.kill</c>.
/// </summary>
/// <remarks>
/// A process joins before it runs anything: the session's first program is <c>/bin/sh</c>, which writes its own pid
/// into every <c>cgroup.procs</c> (<see cref="JoinCommand"/>) and then execs the sandbox, so nothing the session starts
/// can be outside the group, not even for an instant.
/// </remarks>
public sealed class SessionCgroup : IDisposable
{
    private const string JoinScript = """while [ "$1" != -- ]; do echo $$ > "$1"; shift; done; shift; exec "$@" """;

    private readonly CgroupLayout layout;
    private readonly List<string> directories;
    private int disposed;

    private SessionCgroup(CgroupLayout layout, List<string> directories)
    {
        this.layout = layout;
        this.directories = directories;
    }

    /// <summary>Makes the group <paramref name="name"/> under <paramref name="layout"/> with <paramref name="limits"/>.</summary>
    public static SessionCgroup Create(CgroupLayout layout, string name, PlaygroundLimits limits)
    {
        var directories = layout.Hierarchies.Select(h => Path.Combine(h, name)).ToList();
        var group = new SessionCgroup(layout, directories);
        try
        {
            foreach (var directory in directories)
            {
                Directory.CreateDirectory(directory);
            }

            var memory = (long)(limits.MemoryMegabytes + limits.DiskMegabytes) * 1024 * 1024;
            var quota = limits.CpuPercent * 1000L;
            if (layout.Version == 2)
            {
                var directory = directories[0];
                Write(directory, "memory.max", memory);
                Write(directory, "memory.swap.max", 0, optional: true);
                Write(directory, "pids.max", limits.Processes);
                File.WriteAllText(Path.Combine(directory, "cpu.max"), $"{quota} 100000");
            }
            else
            {
                Write(group.V1("memory"), "memory.limit_in_bytes", memory);
                Write(group.V1("memory"), "memory.memsw.limit_in_bytes", memory, optional: true);
                Write(group.V1("pids"), "pids.max", limits.Processes);
                Write(group.V1("cpu"), "cpu.cfs_period_us", 100000);
                Write(group.V1("cpu"), "cpu.cfs_quota_us", quota);
            }

            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What to put in front of a command line so that its first process joins this group before it runs anything:
    /// <c>/bin/sh -c JOIN sh PROCS... -- COMMAND...</c>.
    /// </summary>
    public IReadOnlyList<string> JoinCommand(IReadOnlyList<string> command) =>
        ["/bin/sh", "-c", JoinScript, "forgeline-join", .. directories.Select(d => Path.Combine(d, "cgroup.procs")), "--", .. command];

    /// <summary>What the group uses now.</summary>
    public PlaygroundUsage Usage()
    {
        if (layout.Version == 2)
        {
            var directory = directories[0];
            var usec = ReadKeyed(Path.Combine(directory, "cpu.stat"), "usage_usec");
            return new PlaygroundUsage(ReadLong(Path.Combine(directory, "memory.current")), usec / 1e6, (int)ReadLong(Path.Combine(directory, "pids.current")));
        }

        var nanoseconds = V1("cpuacct") is { } cpuacct ? ReadLong(Path.Combine(cpuacct, "cpuacct.usage")) : 0;
        return new PlaygroundUsage(ReadLong(Path.Combine(V1("memory")!, "memory.usage_in_bytes")), nanoseconds / 1e9, (int)ReadLong(Path.Combine(V1("pids")!, "pids.current")));
    }

    /// <summary>Whether any process is left in the group.</summary>
    public bool IsEmpty => ReadProcesses().Count == 0;

    /// <summary>
    /// Kills every process in the group: with <c>cgroup.kill</c> where the unified hierarchy has it (the kernel kills
    /// them all at once, new children included), else by killing each listed process until none is left (the
    /// process limit bounds how many a fork bomb can make between two rounds).
    /// </summary>
    public void KillAll()
    {
        if (directories.Select(d => Path.Combine(d, "cgroup.kill")).FirstOrDefault(File.Exists) is { } kill)
        {
            try
            {
                File.WriteAllText(kill, "1");
            }
            catch (IOException)
            {
            }
        }

        for (var round = 0; round < 1000; round++)
        {
            var processes = ReadProcesses();
            if (processes.Count == 0)
            {
                return;
            }

            foreach (var pid in processes)
            {
                _ = Signals.Kill(pid, Signals.SigKill);
            }

            Thread.Sleep(round < 10 ? 1 : 10);
        }
    }

    /// <summary>Kills what is left and removes the group's directories.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        KillAll();
        foreach (var directory in directories)
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(directory); attempt++)
            {
                try
                {
                    // rmdir(2): a cgroup's directory holds only the kernel's files, which go with it.
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    // Still busy for a moment after the last process was reaped.
                    Thread.Sleep(20);
                }
            }
        }
    }

    private string? V1(string controller) =>
        layout.Controllers.TryGetValue(controller, out var index) ? directories[index] : null;

    private List<int> ReadProcesses()
    {
        var pids = new List<int>();
        foreach (var directory in directories)
        {
            try
            {
                foreach (var line in File.ReadAllLines(Path.Combine(directory, "cgroup.procs")))
                {
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !pids.Contains(pid))
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return pids;
    }

    private static void Write(string? directory, string file, long value, bool optional = false)
    {
        var path = Path.Combine(directory!, file);
        if (optional && !File.Exists(path))
        {
            return;
        }

        File.WriteAllText(path, value.ToString(CultureInfo.InvariantCulture));
    }

    private static long ReadLong(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ReadKeyed(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}

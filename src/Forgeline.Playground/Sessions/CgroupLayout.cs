using System.Globalization;

namespace Forgeline.Playground.Sessions;

/// <summary>
/// Where this host's session cgroups go: a directory per hierarchy, <c>forgeline-playground/host-PID</c>, so several
/// hosts on one machine (or a test run beside a real host) never touch each other's sessions, and the groups a crashed
/// host left behind are found (their PID is gone) and emptied at the next start.
/// </summary>
public sealed class CgroupLayout
{
    private const string Root = "/sys/fs/cgroup";
    private const string Parent = "forgeline-playground";
    private static readonly string[] V1Controllers = ["cpu", "cpuacct", "memory", "pids"];
    private static readonly string[] V2Controllers = ["cpu", "memory", "pids"];

    private CgroupLayout(int version, IReadOnlyList<string> hierarchies, IReadOnlyDictionary<string, int> controllers)
    {
        Version = version;
        Hierarchies = hierarchies;
        Controllers = controllers;
    }

    /// <summary>1 (hybrid: v1 controllers) or 2 (unified).</summary>
    public int Version { get; }

    /// <summary>This host's directory in each hierarchy a session joins.</summary>
    public IReadOnlyList<string> Hierarchies { get; }

    /// <summary>For version 1: controller name → index into <see cref="Hierarchies"/>.</summary>
    public IReadOnlyDictionary<string, int> Controllers { get; }

    /// <summary>The first hierarchy's directory: where an admin finds this host's sessions.</summary>
    public string Base => Hierarchies[0];

    /// <summary>
    /// Finds the machine's cgroups and makes this host's directories, or says why it cannot (then sessions cannot have
    /// limits, and the host refuses to run them).
    /// </summary>
    /// <param name="v2Base">The delegated cgroup v2 directory to use (e.g. a systemd unit's with <c>Delegate=yes</c>); null to use the process's own.</param>
    public static (CgroupLayout? Layout, string? Problem) Detect(string? v2Base = null)
    {
        var instance = "host-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (File.Exists(Path.Combine(Root, "cgroup.controllers")))
            {
                return DetectV2(v2Base ?? OwnV2Directory(), instance);
            }

            if (V1Controllers.Any(c => !Directory.Exists(Path.Combine(Root, c))))
            {
                return (null, $"no cgroup v2 at {Root} and not every cgroup v1 controller ({string.Join(", ", V1Controllers)}) is mounted under it; sessions need CPU, memory and process limits");
            }

            var hierarchies = new List<string>();
            var controllers = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var controller in V1Controllers)
            {
                controllers[controller] = hierarchies.Count;
                hierarchies.Add(Prepare(Path.Combine(Root, controller, Parent), instance));
            }

            // The unified hierarchy of a hybrid machine has no controllers, but it has cgroup.kill.
            var unified = Path.Combine(Root, "unified");
            if (File.Exists(Path.Combine(unified, "cgroup.procs")))
            {
                hierarchies.Add(Prepare(Path.Combine(unified, Parent), instance));
            }

            return (new CgroupLayout(1, hierarchies, controllers), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot make this host's cgroups: {e.Message}");
        }
    }

    private static (CgroupLayout?, string?) DetectV2(string delegated, string instance)
    {
        var parent = Path.Combine(delegated, Parent);
        Directory.CreateDirectory(parent);
        foreach (var directory in new[] { delegated, parent })
        {
            var available = File.ReadAllText(Path.Combine(directory, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var missing = V2Controllers.Where(c => !available.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                return (null, $"the cgroup {directory} cannot use the {string.Join(", ", missing)} controller(s); delegate them to Forgeline (systemd: Delegate=yes)");
            }

            File.WriteAllText(Path.Combine(directory, "cgroup.subtree_control"), string.Join(' ', V2Controllers.Select(c => "+" + c)));
        }

        var host = Prepare(parent, instance);
        File.WriteAllText(Path.Combine(host, "cgroup.subtree_control"), string.Join(' ', V2Controllers.Select(c => "+" + c)));
        return (new CgroupLayout(2, [host], new Dictionary<string, int>()), null);
    }

    private static string OwnV2Directory()
    {
        var own = File.ReadAllLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
        return Path.Combine(Root, own.TrimStart('/'));
    }

    // Makes parent/instance, after emptying and removing the directories of hosts that are gone.
    private static string Prepare(string parent, string instance)
    {
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.EnumerateDirectories(parent, "host-*"))
        {
            if (int.TryParse(Path.GetFileName(stale)[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                RemoveTree(stale);
            }
        }

        var directory = Path.Combine(parent, instance);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void RemoveTree(string directory)
    {
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveTree(child);
        }

        foreach (var line in File.ReadAllLines(Path.Combine(directory, "cgroup.procs")))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                _ = Signals.Kill(pid, Signals.SigKill);
            }
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(20);
            }
        }
    }
}

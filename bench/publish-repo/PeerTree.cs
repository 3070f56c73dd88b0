using System.Diagnostics;
using Forgeline.Testing;

/// <summary>The peer: a plain directory of RPMs (hard links to the cache) that createrepo_c is run on by hand.</summary>
internal sealed class PeerTree(string root, params string[] updateFlags)
{
    private string Packages => Path.Combine(root, "Packages");

    /// <summary>Links the packages in and runs createrepo_c once from scratch; returns the seconds it took.</summary>
    public async Task<double> InitAsync(IEnumerable<string> rpms)
    {
        Directory.CreateDirectory(Packages);
        foreach (var rpm in rpms)
        {
            File.CreateSymbolicLink(Path.Combine(Packages, Path.GetFileName(rpm)), rpm);
        }

        var clock = Stopwatch.StartNew();
        await RunAsync(updateFlags.Where(f => f != "--update"));
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Adds one package and times createrepo_c with the update flags; returns milliseconds.</summary>
    public async Task<double> AddAndUpdateAsync(string rpm)
    {
        File.CreateSymbolicLink(Path.Combine(Packages, Path.GetFileName(rpm)), rpm);
        var clock = Stopwatch.StartNew();
        await RunAsync(updateFlags);
        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task RunAsync(IEnumerable<string> flags)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("createrepo_c", [.. flags, root]);
        if (code != 0)
        {
            throw new InvalidOperationException($"createrepo_c {string.Join(' ', flags)} {root} exited {code}: {stdout}{stderr}");
        }
    }
}

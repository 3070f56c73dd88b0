using System.ComponentModel;
using System.Diagnostics;

namespace Forgeline.Worker.Toolchain;

/// <summary>
/// Reads the build environment of this host: /etc/os-release and the versions its rpm, gcc, make and ld report.
/// Builds run with the host's /usr, so the host's tools are the build's tools.
/// </summary>
/// <param name="osRelease">The os-release file.</param>
/// <param name="tools">How each tool's version is asked; <see cref="DefaultTools"/> unless a test says otherwise.</param>
public sealed class HostBuildEnvironmentProbe(string osRelease = "/etc/os-release", ToolVersionQueries? tools = null) : IBuildEnvironmentProbe
{
    /// <summary>The commands asked on a real worker.</summary>
    public static readonly ToolVersionQueries DefaultTools = new(
        Rpm: ["rpm", "--version"],
        RpmDist: ["rpm", "--eval", "%{?dist}"],
        Gcc: ["gcc", "-dumpfullversion"],
        Make: ["make", "--version"],
        Binutils: ["ld", "--version"]);

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public async Task<BuildEnvironmentFacts> GatherAsync(CancellationToken cancellationToken)
    {
        var queries = tools ?? DefaultTools;
        var release = File.Exists(osRelease) ? ParseOsRelease(await File.ReadAllLinesAsync(osRelease, cancellationToken)) : new Dictionary<string, string>();
        var versions = await Task.WhenAll(new[] { queries.Rpm, queries.RpmDist, queries.Gcc, queries.Make, queries.Binutils }
            .Select(command => FirstLineAsync(command, cancellationToken)));
        return new BuildEnvironmentFacts(
            release.GetValueOrDefault("ID", ""),
            release.GetValueOrDefault("VERSION_ID", ""),
            BuildEnvironment.MachineArch,
            versions[0], versions[1], versions[2], versions[3], versions[4]);
    }

    /// <summary>The KEY=value pairs of an os-release file, quotes removed.</summary>
    public static Dictionary<string, string> ParseOsRelease(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals]] = line[(equals + 1)..].Trim('"', '\'');
            }
        }

        return values;
    }

    private static async Task<string> FirstLineAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // Untranslated output: the same toolchain gives the same fingerprint whatever the worker's locale.
        start.Environment["LC_ALL"] = "C";
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            return BuildEnvironmentFacts.Absent;
        }

        using (process)
        {
            if (process is null)
            {
                return BuildEnvironmentFacts.Absent;
            }

            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ToolTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{string.Join(' ', command)}' did not answer within {ToolTimeout.TotalSeconds}s; the build environment cannot be named (set it with --environment)");
            }

            await stderr;
            return (await stdout).Split('\n').FirstOrDefault()?.Trim() ?? "";
        }
    }
}

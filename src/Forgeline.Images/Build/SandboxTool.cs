using System.Diagnostics;
using System.Text;
using Forgeline.Core.Processes;

namespace Forgeline.Images.Build;

/// <summary>
/// Runs the packing tools (mkfs.ext4, mcopy, syslinux, sfdisk, qemu-img, xorriso, tar, cpio, xz) in bubblewrap: a
/// single-uid user namespace where the caller is uid 0 (so the root's files are owned by root in what is made), no
/// network and no other namespace shared, the host's / read-only (the root and the work may be anywhere, /tmp too)
/// and only the given directories writable; TMPDIR is the working directory. Never host
/// root, no loop devices, no mounts. Tools are found on <see cref="SearchPath"/> before the sandbox starts, so a
/// missing one is named with the Debian package that has it.
/// </summary>
public sealed class SandboxTool(string searchPath)
{
    // Capabilities inside the user namespace only: read and write the root's files whatever their modes
    // (/etc/shadow is 0000 on real distributions). They mean nothing outside it.
    private static readonly string[] Capabilities = ["CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_CHOWN", "CAP_FSETID"];

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["bwrap"] = "bubblewrap", ["mkfs.ext4"] = "e2fsprogs", ["mkfs.vfat"] = "dosfstools", ["mcopy"] = "mtools",
        ["syslinux"] = "syslinux", ["sfdisk"] = "fdisk", ["dd"] = "coreutils", ["qemu-img"] = "qemu-utils",
        ["xorriso"] = "xorriso", ["tar"] = "tar", ["cpio"] = "cpio", ["xz"] = "xz-utils", ["gzip"] = "gzip",
        ["zstd"] = "zstd", ["busybox"] = "busybox-static", ["sh"] = "dash", ["find"] = "findutils", ["sort"] = "coreutils",
    };

    /// <summary>Where tools are looked for (a PATH-style list).</summary>
    public string SearchPath { get; } = searchPath;

    /// <summary>The absolute path of <paramref name="tool"/>, or an <see cref="ImageBuildException"/> naming its package.</summary>
    public string Find(string tool)
    {
        foreach (var directory in SearchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var package = Packages.GetValueOrDefault(tool, tool);
        throw new ImageBuildException($"{tool} is not installed on this worker: install the Debian package {package} (scripts/install-deps does)");
    }

    /// <summary>
    /// Runs <paramref name="tool"/> with <paramref name="arguments"/> in the sandbox, <paramref name="writable"/> bound
    /// read-write at their own paths, in <paramref name="workingDirectory"/>; throws with the tool's last stderr lines
    /// when it fails. <paramref name="stdin"/> is written to its input; its output goes to <paramref name="stdoutPath"/>
    /// when given. Returns the exit status when <paramref name="allowFailure"/>.
    /// </summary>
    public async Task<int> RunAsync(
        string tool, IReadOnlyList<string> arguments, IReadOnlyList<string> writable, string workingDirectory, CancellationToken cancellationToken,
        string? stdin = null, string? stdoutPath = null, IReadOnlyDictionary<string, string>? environment = null, bool allowFailure = false)
    {
        var executable = Find(tool);
        var start = new ProcessStartInfo(Find("bwrap"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(writable, workingDirectory, environment))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var (code, stderr) = await RunProcessAsync(start, stdin, stdoutPath, cancellationToken);
        if (code != 0 && !allowFailure)
        {
            throw new ImageBuildException($"{tool} failed (exit status {code}){Tail(stderr)}");
        }

        return code;
    }

    /// <summary>The bubblewrap options (before the command) for a packing sandbox.</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> writable, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var arguments = new List<string>
        {
            "--unshare-all", "--unshare-user", "--uid", "0", "--gid", "0", "--die-with-parent", "--new-session",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--cap-drop", "ALL",
        };
        foreach (var capability in Capabilities)
        {
            arguments.AddRange(["--cap-add", capability]);
        }

        foreach (var directory in writable)
        {
            arguments.AddRange(["--bind", directory, directory]);
        }

        arguments.AddRange(["--clearenv", "--setenv", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "--setenv", "LC_ALL", "C", "--setenv", "HOME", workingDirectory, "--setenv", "TMPDIR", workingDirectory]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.AddRange(["--chdir", workingDirectory]);
        return arguments;
    }

    /// <summary>The last lines of a tool's error output, as the end of a failure message.</summary>
    public static string Tail(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "" : ": " + string.Join(" | ", lines.TakeLast(6));
    }

    /// <summary>Runs a prepared process; returns its exit status and error output.</summary>
    public static async Task<(int ExitCode, string Stderr)> RunProcessAsync(ProcessStartInfo start, string? stdin, string? stdoutPath, CancellationToken cancellationToken)
    {
        Process started;
        try
        {
            started = await SandboxLauncher.StartAsync(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImageBuildException($"{start.FileName} could not be started: {e.Message}", e);
        }

        using var process = started;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        Task output;
        if (stdoutPath is null)
        {
            output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
        }
        else
        {
            output = CopyToFileAsync(process.StandardOutput.BaseStream, stdoutPath, cancellationToken);
        }

        try
        {
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(new StringBuilder(stdin), cancellationToken);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading its input; its exit status says why.
            }

            await process.WaitForExitAsync(cancellationToken);
            await output;
            return (process.ExitCode, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private static async Task CopyToFileAsync(Stream source, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await source.CopyToAsync(file, cancellationToken);
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace Forgeline.Playground.Images;

/// <summary>
/// Runs a shell script as root inside an image being built: in a mount namespace of its own, the image's layers and
/// the layer being written are mounted as one overlayfs tree, and bubblewrap runs the image's own <c>/bin/sh</c> with
/// that tree as <c>/</c>, without network, so what the script writes lands in the layer and symlinks in the image
/// resolve inside it, never on the host.
/// </summary>
internal static class ImageSandbox
{
    /// <summary>Where the script sees <c>extraDirectory</c> (read-only, on the private /tmp, so nothing of it lands in the image).</summary>
    public const string ExtraPath = "/tmp/forgeline-input";

    // What installing needs as root: owners, modes, device nodes; no network, no mounts, no module loading.
    private static readonly string[] Capabilities =
        ["CAP_CHOWN", "CAP_FOWNER", "CAP_FSETID", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_SYS_CHROOT", "CAP_SETFCAP", "CAP_MKNOD", "CAP_SETUID", "CAP_SETGID", "CAP_KILL"];

    // Arguments: overlay options (or "-" for a plain directory), the mount point, then bwrap's command line.
    private const string MountScript = """
        if [ "$1" != - ]; then
          if ! out=$(mount -t overlay forgeline-image -o "$1" "$2" 2>&1); then
            echo "could not mount the image's layers: $out" >&2
            exit 125
          fi
        fi
        shift 2
        exec "$@"
        """;

    /// <summary>
    /// Runs <c>/bin/sh -e -c <paramref name="script"/> sh <paramref name="arguments"/></c> in the tree of
    /// <paramref name="lowers"/> (top first) under <paramref name="upper"/>, or in <paramref name="upper"/> alone when
    /// there are no lowers; returns the exit status. Output goes to <paramref name="output"/>.
    /// </summary>
    public static async Task<int> RunAsync(
        string upper, IReadOnlyList<string> lowers, string work, string mountPoint, string script, IReadOnlyList<string> arguments,
        string? extraDirectory, StepOutput output, CancellationToken cancellationToken)
    {
        var root = lowers.Count == 0 ? upper : mountPoint;
        var options = lowers.Count == 0 ? "-" : $"lowerdir={string.Join(':', lowers)},upperdir={upper},workdir={work}";
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] bwrap =
        [
            "bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try", "--new-session",
            "--hostname", "playground-image", "--cap-drop", "ALL", .. Capabilities.SelectMany(c => new[] { "--cap-add", c }),
            "--bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            .. extraDirectory is null ? Array.Empty<string>() : ["--ro-bind", extraDirectory, ExtraPath],
            "--chdir", "/", "--clearenv", "--setenv", "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--setenv", "HOME", "/root", "--setenv", "LANG", "C.UTF-8", "--setenv", "TERM", "dumb",
            "--", "/bin/sh", "-e", "-c", script, "sh",
        ];
        foreach (var arg in (string[])["--mount", "--propagation", "private", "--", "/bin/sh", "-c", MountScript, "forgeline-image", options, mountPoint, .. bwrap, .. arguments])
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            throw new PlaygroundImageException($"could not run unshare (util-linux) to build the image: {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            async Task PumpAsync(Stream stream)
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    output.Add(buffer.AsSpan(0, read));
                }
            }

            var pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream), PumpAsync(process.StandardError.BaseStream));
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // bwrap runs the script as pid 1 of its own pid namespace: ending the tree ends everything in it.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                throw;
            }

            await pumps;
            return process.ExitCode;
        }
    }
}

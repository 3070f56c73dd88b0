using System.ComponentModel;
using System.Diagnostics;

namespace Forgeline.Images.Vm;

/// <summary>qemu-img for a job's disks: an overlay over a base (the base is only read), and a flattened standalone copy to publish.</summary>
public sealed class QemuImage(string qemuImgPath = "qemu-img")
{
    /// <summary>What a qemu-img run did: whether it worked, its message if not, how long it took.</summary>
    public sealed record Outcome(bool Succeeded, string Error, TimeSpan Elapsed);

    /// <summary>Creates <paramref name="overlay"/>, a qcow2 whose reads fall through to <paramref name="baseDisk"/> and whose writes stay in it.</summary>
    public Task<Outcome> CreateOverlayAsync(string baseDisk, string overlay, CancellationToken cancellationToken = default) =>
        RunAsync(["create", "-q", "-f", "qcow2", "-b", Path.GetFullPath(baseDisk), "-F", "qcow2", overlay], cancellationToken);

    /// <summary>Writes <paramref name="disk"/> with everything under it as one standalone qcow2 <paramref name="output"/>.</summary>
    public Task<Outcome> FlattenAsync(string disk, string output, CancellationToken cancellationToken = default) =>
        RunAsync(["convert", "-O", "qcow2", disk, output], cancellationToken);

    private async Task<Outcome> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(qemuImgPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            return new Outcome(false, $"could not run {qemuImgPath}: {e.Message}", clock.Elapsed);
        }

        using (process)
        {
            try
            {
                var error = process.StandardError.ReadToEndAsync(cancellationToken);
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                var message = ((await error).Trim() + " " + (await output).Trim()).Trim().ReplaceLineEndings(" ");
                return new Outcome(process.ExitCode == 0, process.ExitCode == 0 ? "" : message.Length > 0 ? message : $"qemu-img exited with {process.ExitCode}", clock.Elapsed);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Forgeline.Images.Vm;

/// <summary>
/// Runs one VM test job: a qcow2 overlay over the job's base disk (the base is never written), QEMU started in
/// bubblewrap with its serial console and QMP on unix sockets in the job directory, the steps driven over the console
/// with every line passed on as it comes, a PNG screenshot of the VGA console at a failure, and on success, if asked,
/// a clean power-off and the disk flattened for the next job of a chain. QEMU never outlives the job.
/// </summary>
public sealed class VmJobRunner(VmRunnerOptions? options = null)
{
    // sun_path holds 108 bytes with its terminating NUL.
    private const int MaxSocketPath = 107;
    private static readonly TimeSpan ScreenshotTimeout = TimeSpan.FromSeconds(10);
    private readonly VmRunnerOptions options = options ?? new VmRunnerOptions();

    /// <summary>
    /// Runs <paramref name="spec"/> in <paramref name="jobDirectory"/> (created if missing; it keeps the overlay, the
    /// serial and QEMU logs, the screenshot, JUnit files and the published disk). Every console line goes to
    /// <paramref name="onSerialLine"/> as it arrives. Failures are results; cancelling kills QEMU and throws.
    /// </summary>
    public async Task<VmJobResult> RunAsync(VmJobSpec spec, string jobDirectory, Action<string>? onSerialLine = null, CancellationToken cancellationToken = default)
    {
        var job = new VmJobFiles(Path.GetFullPath(jobDirectory));
        Directory.CreateDirectory(job.Directory);
        var total = Stopwatch.StartNew();
        var overlayTime = TimeSpan.Zero;
        VmStepRunner? steps = null;
        string? screenshot = null;
        string? published = null;

        VmJobResult Result(bool passed, string reason) => new(
            passed, reason, steps?.BootToFirstStep, overlayTime, steps?.Results ?? [], job.SerialLog, job.QemuLog, screenshot,
            steps?.JunitFiles ?? [], steps?.JunitTests ?? 0, steps?.JunitFailures ?? 0, published, total.Elapsed);

        if (Problem(spec, job) is { } problem)
        {
            return Result(false, problem);
        }

        var images = new QemuImage(options.QemuImgPath);
        var overlay = await images.CreateOverlayAsync(spec.BaseDisk, job.Overlay, cancellationToken);
        overlayTime = overlay.Elapsed;
        if (!overlay.Succeeded)
        {
            return Result(false, $"could not create the job's overlay over {spec.BaseDisk}: {overlay.Error}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(spec.Timeout);
        QemuProcess qemu;
        var sinceStart = Stopwatch.StartNew();
        try
        {
            qemu = await StartAsync(spec, job);
        }
        catch (Win32Exception e)
        {
            return Result(false, $"could not start QEMU: {e.Message}");
        }

        await using var running = qemu;
        await using var serialLog = new FileStream(job.SerialLog, FileMode.Create, FileAccess.Write, FileShare.Read);
        Socket? serial = null;
        SerialConsole? console = null;
        try
        {
            try
            {
                serial = await ConnectSerialAsync(job.SerialSocket, qemu, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Result(false, $"QEMU did not open its serial console within the job's time limit of {spec.Timeout.TotalSeconds:0} s: {await qemu.TailAsync()}");
            }

            if (serial is null)
            {
                return Result(false, $"QEMU stopped at start (exit status {qemu.ExitCode}): {await qemu.TailAsync()}");
            }

            var stream = new NetworkStream(serial, ownsSocket: false);
            console = new SerialConsole(new SerialLogStream(stream, serialLog), stream, onSerialLine is null ? null : new LineSink(onSerialLine));
            steps = new VmStepRunner(console, qemu, job.Directory, options, sinceStart);
            string? failure;
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            var halted = new StrongBox<string?>();
            var watchdog = WatchQemuAsync(job.QemuLog, stopped, halted);
            try
            {
                failure = await steps.RunAsync(spec.Steps, stopped.Token);
                if (failure is null && spec.PublishDisk)
                {
                    failure = await PowerOffAsync(console, qemu, stopped.Token);
                }
            }
            catch (OperationCanceledException) when (halted.Value is not null && !cancellationToken.IsCancellationRequested)
            {
                failure = halted.Value;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var step = steps.Results.Count > 0 ? $" during step {steps.Results[^1].Number} ({steps.Results[^1].Kind} '{steps.Results[^1].Text.Trim()}')" : "";
                failure = $"the job's time limit of {spec.Timeout.TotalSeconds:0} s ran out{step}; the guest may be hung (serial log kept)";
            }

            await stopped.CancelAsync();
            await watchdog;
            if (failure is not null)
            {
                (screenshot, var note) = await ScreenshotAsync(qemu, job, failure);
                return Result(false, failure + note);
            }

            if (spec.PublishDisk)
            {
                var flat = await images.FlattenAsync(job.Overlay, job.PublishedDisk, cancellationToken);
                if (!flat.Succeeded)
                {
                    return Result(false, $"the job passed but its disk could not be published: {flat.Error}");
                }

                published = job.PublishedDisk;
            }

            return Result(true, $"all {spec.Steps.Count} steps passed");
        }
        finally
        {
            await qemu.KillAsync();
            if (console is not null)
            {
                await console.DisposeAsync();
            }

            serial?.Dispose();
            File.Delete(job.SerialSocket);
            File.Delete(job.QmpSocket);
        }
    }

    /// <summary>
    /// Watches QEMU's messages while the steps run: a guest KVM cannot run (<c>KVM internal error</c>, as when /dev/kvm
    /// opens but nested virtualisation does not work) is paused by QEMU, not ended, so the steps would wait out their time
    /// limits. Then <paramref name="halted"/> gets the reason and <paramref name="stop"/> is cancelled.
    /// </summary>
    private static async Task WatchQemuAsync(string qemuLog, CancellationTokenSource stop, StrongBox<string?> halted)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string said;
            try
            {
                await using var log = new FileStream(qemuLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                said = await new StreamReader(log).ReadToEndAsync(CancellationToken.None);
            }
            catch (IOException)
            {
                continue;
            }

            if (said.Contains(KvmInternalError, StringComparison.Ordinal))
            {
                halted.Value = $"{KvmInternalError}: KVM could not run the guest and QEMU paused it; /dev/kvm on this worker does not work (nested virtualisation?): use the TCG accelerator here";
                await stop.CancelAsync();
                return;
            }
        }
    }

    /// <summary>What QEMU prints when KVM cannot run the guest; the reason of such a job starts with it.</summary>
    public const string KvmInternalError = "KVM internal error";

    private static string? Problem(VmJobSpec spec, VmJobFiles job)
    {
        var inputs = new List<(string What, string? Path)> { ("base disk", spec.BaseDisk) };
        if (spec.Boot.Mode == VmBootMode.Direct)
        {
            inputs.AddRange([("kernel", spec.Boot.Kernel), ("initramfs", spec.Boot.Initrd)]);
        }

        inputs.AddRange(spec.Attachments.Select(a => ("attachment", (string?)a.Path)));
        if (inputs.FirstOrDefault(i => string.IsNullOrEmpty(i.Path) || !File.Exists(i.Path)) is { What: not null } missing)
        {
            return $"the {missing.What} '{missing.Path}' does not exist";
        }

        if (Encoding.UTF8.GetByteCount(job.SerialSocket) > MaxSocketPath)
        {
            return $"the job directory '{job.Directory}' is too long for QEMU's unix sockets (at most {MaxSocketPath - 12} bytes); use a shorter one";
        }

        return spec.Steps.Count == 0 ? "the job has no steps" : null;
    }

    private async Task<QemuProcess> StartAsync(VmJobSpec spec, VmJobFiles job)
    {
        var accelerator = QemuCommand.Resolve(options.Accelerator);
        var qemuPath = QemuCommand.Locate(options.QemuPath) ?? throw new Win32Exception($"{options.QemuPath} was not found (install qemu-system-x86)");
        List<string> command = [qemuPath, .. QemuCommand.Arguments(spec, new QemuCommand.Paths(job.Overlay, job.SerialSocket, job.QmpSocket), accelerator)];
        if (options.BwrapPath is null)
        {
            return await QemuProcess.StartAsync(command[0], command.Skip(1), job.Directory, job.QemuLog);
        }

        var bwrap = QemuCommand.Locate(options.BwrapPath) ?? throw new Win32Exception($"{options.BwrapPath} was not found (install bubblewrap, or run QEMU unsandboxed)");
        var inputs = new List<string> { Path.GetFullPath(spec.BaseDisk) };
        inputs.AddRange(new[] { spec.Boot.Kernel, spec.Boot.Initrd }.OfType<string>().Select(Path.GetFullPath));
        inputs.AddRange(spec.Attachments.Select(a => Path.GetFullPath(a.Path)));
        if (!qemuPath.StartsWith("/usr/", StringComparison.Ordinal))
        {
            inputs.Add(qemuPath);
        }

        return await QemuProcess.StartAsync(bwrap, QemuCommand.Sandboxed(command, job.Directory, inputs, accelerator == VmAccelerator.Kvm), job.Directory, job.QemuLog);
    }

    // QEMU waits at the serial socket until we connect, so nothing the guest prints is lost; null if QEMU ended first.
    private static async Task<Socket?> ConnectSerialAsync(string path, QemuProcess qemu, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (qemu.HasExited)
            {
                return null;
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    private async Task<string?> PowerOffAsync(SerialConsole console, QemuProcess qemu, CancellationToken cancellationToken)
    {
        if (!qemu.HasExited)
        {
            // The disk is published as the guest left it: flush, and remount read-only so the next boot finds a clean journal.
            await console.TypeAsync("sync; mount -o remount,ro / 2>/dev/null; sync; poweroff -f\n", cancellationToken);
            if (!await qemu.WaitForExitAsync(options.PowerOffTimeout, cancellationToken))
            {
                return $"the guest did not power off within {options.PowerOffTimeout.TotalSeconds:0} s, so its disk is not published";
            }
        }

        return qemu.ExitCode == 0 ? null : $"QEMU exited with {qemu.ExitCode} at power-off: {await qemu.TailAsync()}";
    }

    private static async Task<(string? Path, string Note)> ScreenshotAsync(QemuProcess qemu, VmJobFiles job, string failure)
    {
        if (qemu.HasExited)
        {
            var tail = await qemu.TailAsync();
            var said = tail.Length > 0 && !failure.Contains(tail, StringComparison.Ordinal) ? ": " + tail : "";
            return (null, $" (QEMU had exited with {qemu.ExitCode}{said}; no screenshot)");
        }

        using var patience = new CancellationTokenSource(ScreenshotTimeout);
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(job.QmpSocket, patience.Token);
            await qmp.ScreendumpAsync(job.Screenshot, patience.Token);
            return File.Exists(job.Screenshot) ? (job.Screenshot, $" (screenshot {Path.GetFileName(job.Screenshot)})") : (null, " (QEMU wrote no screenshot)");
        }
        catch (Exception e) when (e is QmpException or SocketException or IOException or OperationCanceledException)
        {
            return (null, $" (no screenshot: {e.Message})");
        }
    }

    private sealed class LineSink(Action<string> report) : IProgress<string>
    {
        public void Report(string value)
        {
            try
            {
                report(value);
            }
            catch (Exception)
            {
                // A failing log consumer must not stop the console.
            }
        }
    }
}

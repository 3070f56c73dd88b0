using System.Diagnostics;
using System.Globalization;
using Forgeline.Images.Plans;

namespace Forgeline.Images.Vm;

/// <summary>
/// Runs a job's steps on its serial console: each step's result and duration, the time from QEMU's start to the first
/// <c>wait</c> satisfied, and the JUnit files fetched from the guest.
/// </summary>
internal sealed class VmStepRunner(SerialConsole console, QemuProcess qemu, string jobDirectory, VmRunnerOptions options, Stopwatch sinceQemuStart)
{
    public List<VmStepResult> Results { get; } = [];

    public TimeSpan? BootToFirstStep { get; private set; }

    public List<string> JunitFiles { get; } = [];

    public int JunitTests { get; private set; }

    public int JunitFailures { get; private set; }

    /// <summary>Runs <paramref name="steps"/> until one fails; returns why it failed, or null. The job's time limit running out cancels <paramref name="job"/>.</summary>
    public async Task<string?> RunAsync(IReadOnlyList<TestStep> steps, CancellationToken job)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var (kind, text) = Describe(step);
            var clock = Stopwatch.StartNew();
            string? failure;
            string detail;
            try
            {
                (failure, detail) = await RunStepAsync(step, i + 1, i == steps.Count - 1, job);
            }
            catch (OperationCanceledException)
            {
                Results.Add(new VmStepResult(i + 1, kind, text, false, "the job's time limit ran out", clock.Elapsed));
                throw;
            }
            catch (SerialConsoleException e)
            {
                failure = e.Message;
                detail = e.Message;
                // A closed console means QEMU is ending (or has crashed): its own words are the better reason.
                if (console.Closed && await qemu.WaitForExitAsync(TimeSpan.FromSeconds(5), CancellationToken.None))
                {
                    failure += $"; QEMU exited with {qemu.ExitCode}: {await qemu.TailAsync()}".TrimEnd(' ', ':');
                }
            }

            Results.Add(new VmStepResult(i + 1, kind, text, failure is null, detail, clock.Elapsed));
            if (failure is not null)
            {
                return $"step {i + 1} ({kind} '{Shorten(text)}') failed: {failure}";
            }
        }

        return null;
    }

    private async Task<(string? Failure, string Detail)> RunStepAsync(TestStep step, int number, bool last, CancellationToken job)
    {
        var timeout = TimeSpan.FromSeconds(step.TimeoutSeconds);
        if (step.Wait is { } wanted)
        {
            await console.WaitForAsync(wanted, timeout, job);
            BootToFirstStep ??= sinceQemuStart.Elapsed;
            return (null, "seen");
        }

        if (step.Type is { } typed)
        {
            await console.TypeAsync(typed, job);
            return (null, "typed");
        }

        if ((step.Run ?? step.ExpectFail) is { } command)
        {
            int status;
            try
            {
                status = await console.RunAsync(command, timeout, job);
            }
            catch (SerialConsoleException) when (last)
            {
                // The last step may power the guest off (with -no-reboot QEMU then exits 0): its status never comes back.
                if (await PoweredOffAsync())
                {
                    return (null, "the guest powered off");
                }

                throw;
            }

            var wantsZero = step.Run is not null;
            var detail = $"exit status {status}";
            return (status == 0) == wantsZero ? (null, detail) : (wantsZero ? detail : "exit status 0 where a failure was expected", detail);
        }

        return step.Junit is { } junit
            ? await FetchJunitAsync(junit, number, timeout, job)
            : ("the step has no action: each step is one of wait, type, run, expect_fail, junit", "no action");
    }

    private async Task<(string? Failure, string Detail)> FetchJunitAsync(string path, int number, TimeSpan timeout, CancellationToken job)
    {
        var quoted = "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        // Checked in the guest first: a huge file would take minutes to come over the console.
        var limit = options.MaxJunitBytes.ToString(CultureInfo.InvariantCulture);
        if (await console.RunAsync($"[ ! -e {quoted} ] || [ \"$(wc -c < {quoted})\" -le {limit} ]", timeout, job) != 0)
        {
            var said = $"the JUnit file {path} is larger than {limit} bytes";
            return (said, said);
        }

        byte[] content;
        try
        {
            content = await console.FetchAsync(path, timeout, job);
        }
        catch (SerialConsoleException e) when (e.Message.Contains("could not read", StringComparison.Ordinal))
        {
            return (e.Message, e.Message);
        }

        var file = Path.Combine(jobDirectory, $"junit-{number}.xml");
        await File.WriteAllBytesAsync(file, content, CancellationToken.None);
        JunitFiles.Add(file);
        if (JunitReport.Read(content, options.MaxJunitBytes, out var problem) is not { } report)
        {
            var said = $"the JUnit file {path} {problem}";
            return (said, said);
        }

        JunitTests += report.Tests;
        JunitFailures += report.Failures;
        var detail = $"{report.Tests} tests, {report.Failures} failed";
        return (report.Failures > 0 ? $"{report.Failures} of {report.Tests} JUnit tests failed (see {Path.GetFileName(file)})" : null, detail);
    }

    private async Task<bool> PoweredOffAsync() => await qemu.WaitForExitAsync(TimeSpan.FromSeconds(5)) && qemu.ExitCode == 0;

    private static (string Kind, string Text) Describe(TestStep step) =>
        step.Wait is not null ? ("wait", step.Wait)
        : step.Type is not null ? ("type", step.Type)
        : step.Run is not null ? ("run", step.Run)
        : step.ExpectFail is not null ? ("expect_fail", step.ExpectFail)
        : ("junit", step.Junit ?? "");

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}

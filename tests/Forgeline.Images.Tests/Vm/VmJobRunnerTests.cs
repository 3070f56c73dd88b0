using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Images.Plans;
using Forgeline.Images.Vm;
using Xunit.Abstractions;

namespace Forgeline.Images.Tests.Vm;

/// <summary>
/// The VM job runner against real QEMU (TCG) booting a tiny image: a passing job with exit statuses and JUnit results,
/// failures with a screenshot and the serial log kept, a hung guest ended at its limit, corrupt disks, the base left
/// unchanged, and a two-job chain through a published disk. One VM at a time (xunit runs a class's tests in turn).
/// </summary>
public sealed class VmJobRunnerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly VmRunnerOptions Tcg = new() { Accelerator = VmAccelerator.Tcg };
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Qcow2Magic = [(byte)'Q', (byte)'F', (byte)'I', 0xFB];
    private VmTestImage image = null!;
    private readonly string root = Directory.CreateTempSubdirectory("fl-vm-").FullName;

    public async Task InitializeAsync() => image = await VmTestImage.GetAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_passing_job_checks_exit_statuses_fetches_junit_and_never_writes_the_base()
    {
        var before = Sha256(image.Disk);
        var lines = new List<string>();
        var spec = Spec(image.Disk,
            new TestStep { Wait = image.Ready },
            new TestStep { Run = "/usr/bin/rpm -q fl-hello && echo written-by-the-job > /root/changed" },
            new TestStep { ExpectFail = "test -e /no/such/file" },
            new TestStep { Run = "printf '%s\\n' '<testsuite name=\"guest\"><testcase name=\"a\"/><testcase name=\"b\"/></testsuite>' > /tmp/junit.xml" },
            new TestStep { Junit = "/tmp/junit.xml" });

        string? sandbox = null;
        var result = await new VmJobRunner(Tcg).RunAsync(spec, Job("pass"), line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }

            // While the guest runs: QEMU is in namespaces of its own with no capabilities.
            if (line.Contains(image.Ready, StringComparison.Ordinal))
            {
                sandbox = DescribeQemuSandbox(root);
            }
        });

        Report(result);
        result.Passed.ShouldBeTrue(result.Reason);
        result.Steps.Select(s => (s.Kind, s.Passed)).ShouldBe([("wait", true), ("run", true), ("expect_fail", true), ("run", true), ("junit", true)]);
        result.Steps[2].Detail.ShouldBe("exit status 1");
        (result.JunitTests, result.JunitFailures).ShouldBe((2, 0));
        File.ReadAllText(result.JunitFiles.ShouldHaveSingleItem()).ShouldContain("<testcase name=\"b\"/>");
        result.BootToFirstStep.ShouldNotBeNull().ShouldBeLessThan(result.Duration);
        result.OverlayCreation.ShouldBeGreaterThan(TimeSpan.Zero);
        result.Screenshot.ShouldBeNull();
        result.PublishedDisk.ShouldBeNull();
        File.ReadAllText(result.SerialLog).ShouldContain("fl-hello-1");
        lock (lines)
        {
            lines.ShouldContain(l => l.Contains(image.Ready, StringComparison.Ordinal));
        }

        sandbox.ShouldBe("own network namespace, own mount namespace, no capabilities");
        Sha256(image.Disk).ShouldBe(before, "the base disk must never be written");
        QemuProcessesUsing(root).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_run_step_fails_the_job_with_a_png_screenshot_and_the_serial_log_kept()
    {
        var spec = Spec(image.Disk,
            new TestStep { Wait = image.Ready },
            new TestStep { Run = "echo about-to-fail; false" },
            new TestStep { Run = "echo never-reached" });

        var result = await new VmJobRunner(Tcg).RunAsync(spec, Job("fail"));

        Report(result);
        result.Passed.ShouldBeFalse();
        result.Reason.ShouldContain("step 2 (run 'echo about-to-fail; false') failed: exit status 1");
        result.Steps.Count.ShouldBe(2);
        var png = File.ReadAllBytes(result.Screenshot.ShouldNotBeNull());
        png.Take(8).ShouldBe(PngSignature);
        png.Length.ShouldBeGreaterThan(500);
        var log = File.ReadAllText(result.SerialLog);
        log.ShouldContain("about-to-fail");
        log.ShouldNotContain("never-reached\r\n");
        QemuProcessesUsing(root).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("<testsuite><testcase name=\"ok\"/><testcase name=\"broken\"><failure message=\"no\"/></testcase></testsuite>", "1 of 2 JUnit tests failed")]
    [InlineData("this is not xml at all", "is not JUnit XML")]
    [InlineData("<html><body>results</body></html>", "the root element is <html>")]
    [InlineData("<testsuite><testcase name=\"padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-padding-\"/></testsuite>", "is larger than 200 bytes")]
    public async Task Failed_tests_and_bad_junit_files_fail_the_job_with_a_reason(string junit, string reason)
    {
        var spec = Spec(image.Disk,
            new TestStep { Wait = image.Ready },
            new TestStep { Run = $"printf '%s\\n' '{junit}' > /tmp/results.xml" },
            new TestStep { Junit = "/tmp/results.xml" });

        var result = await new VmJobRunner(Tcg with { MaxJunitBytes = 200 }).RunAsync(spec, Job("junit"));

        Report(result);
        result.Passed.ShouldBeFalse();
        result.Reason.ShouldContain(reason);
        result.Steps[^1].Kind.ShouldBe("junit");
        result.Steps[^1].Passed.ShouldBeFalse();
    }

    [Fact]
    public async Task A_hung_guest_ends_at_the_job_time_limit_with_its_serial_log_and_a_screenshot()
    {
        var spec = Spec(image.Disk, new TestStep { Wait = "TEXT-THE-GUEST-NEVER-PRINTS", TimeoutSeconds = 600 }) with { Timeout = TimeSpan.FromSeconds(6) };

        var result = await new VmJobRunner(Tcg).RunAsync(spec, Job("hung"));

        Report(result);
        result.Passed.ShouldBeFalse();
        result.Reason.ShouldContain("time limit of 6 s ran out during step 1 (wait 'TEXT-THE-GUEST-NEVER-PRINTS')");
        result.Duration.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(6));
        result.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        File.ReadAllText(result.SerialLog).ShouldContain("Linux version");
        File.Exists(result.Screenshot.ShouldNotBeNull()).ShouldBeTrue();
        QemuProcessesUsing(root).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_corrupt_disk_fails_at_once_with_qemus_own_message()
    {
        var corrupt = Path.Combine(root, "corrupt.qcow2");
        await File.WriteAllTextAsync(corrupt, "this is not a disk image\n" + new string('x', 4096));

        var asBase = await new VmJobRunner(Tcg).RunAsync(Spec(corrupt, new TestStep { Wait = image.Ready }), Job("corrupt-base"));
        // An attachment is only opened by QEMU itself: this is the crashed-at-start path with QEMU's stderr as the reason.
        var asAttachment = await new VmJobRunner(Tcg).RunAsync(
            Spec(image.Disk, new TestStep { Wait = image.Ready }) with { Attachments = [new VmAttachment(corrupt, "qcow2")] }, Job("corrupt-attachment"));

        Report(asBase);
        Report(asAttachment);
        asBase.Passed.ShouldBeFalse();
        asBase.Reason.ShouldContain("Image is not in qcow2 format");
        asBase.Steps.ShouldBeEmpty();
        asAttachment.Passed.ShouldBeFalse();
        asAttachment.Reason.ShouldContain("QEMU exited with 1");
        asAttachment.Reason.ShouldContain("Image is not in qcow2 format");
        asAttachment.Reason.ShouldContain("no screenshot");
        asAttachment.BootToFirstStep.ShouldBeNull();
        asAttachment.Steps.ShouldHaveSingleItem().Passed.ShouldBeFalse();
        asAttachment.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        QemuProcessesUsing(root).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_chain_boots_the_disk_the_previous_job_published_through_its_own_bootloader_and_sees_what_it_wrote()
    {
        var marker = Guid.NewGuid().ToString("N");
        var runner = new VmJobRunner(Tcg);

        var install = await runner.RunAsync(
            Spec(image.Disk, new TestStep { Wait = image.Ready }, new TestStep { Run = $"echo {marker} > /var/lib/fl-chain-marker" }) with { PublishDisk = true },
            Job("install"));
        Report(install);
        install.Passed.ShouldBeTrue(install.Reason);
        var published = install.PublishedDisk.ShouldNotBeNull();
        var header = new byte[16];
        await using (var disk = File.OpenRead(published))
        {
            await disk.ReadExactlyAsync(header);
        }

        header.Take(4).ShouldBe(Qcow2Magic);
        BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)).ShouldBe(0UL, "a published disk is standalone: no backing file");

        var instance = await runner.RunAsync(
            Spec(published, new TestStep { Wait = image.Ready }, new TestStep { Run = $"grep -qx {marker} /var/lib/fl-chain-marker" }) with { Network = true, Boot = VmBoot.Firmware },
            Job("instance"));
        Report(instance);
        instance.Passed.ShouldBeTrue(instance.Reason);
        QemuProcessesUsing(root).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_a_job_kills_its_qemu_and_throws()
    {
        using var cancel = new CancellationTokenSource();
        var spec = Spec(image.Disk, new TestStep { Wait = image.Ready }, new TestStep { Wait = "TEXT-THE-GUEST-NEVER-PRINTS" });

        var whileRunning = 0;

        await Should.ThrowAsync<OperationCanceledException>(() => new VmJobRunner(Tcg).RunAsync(spec, Job("cancel"), line =>
        {
            if (line.Contains(image.Ready, StringComparison.Ordinal))
            {
                whileRunning = QemuProcessesUsing(root).Count;
                cancel.Cancel();
            }
        }, cancel.Token));

        whileRunning.ShouldBeGreaterThan(0);
        QemuProcessesUsing(root).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(Job("cancel"), "serial.log")).ShouldContain(image.Ready);
    }

    private VmJobSpec Spec(string disk, params TestStep[] steps) => new()
    {
        BaseDisk = disk,
        Boot = image.Boot,
        MemoryMb = 256,
        Timeout = TimeSpan.FromSeconds(120),
        Steps = steps,
    };

    private string Job(string name) => Path.Combine(root, name);

    private void Report(VmJobResult result) => output.WriteLine(
        $"{(result.Passed ? "PASS" : "FAIL")} in {result.Duration.TotalSeconds:0.00} s, overlay {result.OverlayCreation.TotalMilliseconds:0.0} ms, " +
        $"boot to first step {(result.BootToFirstStep is { } boot ? $"{boot.TotalSeconds:0.00} s" : "-")}: {result.Reason}");

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }

    private static string DescribeQemuSandbox(string directory)
    {
        var qemu = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .FirstOrDefault(d => Read(Path.Combine(d, "comm")).StartsWith("qemu-system", StringComparison.Ordinal) && Read(Path.Combine(d, "cmdline")).Contains(directory, StringComparison.Ordinal));
        if (qemu is null)
        {
            return "no QEMU found";
        }

        string Namespace(string process, string kind) => new FileInfo(Path.Combine(process, "ns", kind)).LinkTarget ?? "?";
        var capabilities = Read(Path.Combine(qemu, "status")).Split('\n').FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal))?.Split('\t')[^1].Trim();
        return string.Join(", ",
            Namespace(qemu, "net") != Namespace("/proc/self", "net") ? "own network namespace" : "host network",
            Namespace(qemu, "mnt") != Namespace("/proc/self", "mnt") ? "own mount namespace" : "host mounts",
            capabilities == "0000000000000000" ? "no capabilities" : $"capabilities {capabilities}");
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    // Any process whose command line names the test's directory: QEMU (or bwrap around it) must be gone when a job ends.
    private static List<string> QemuProcessesUsing(string directory) =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => Read(Path.Combine(d, "cmdline")).Replace('\0', ' '))
            .Where(c => c.Contains(directory, StringComparison.Ordinal) && c.Contains("qemu", StringComparison.Ordinal)).ToList();
}

namespace Forgeline.Images.Vm;

/// <summary>What a VM job did: passed or why not, its timings, each step, and the files it left in the job directory.</summary>
/// <param name="Passed">Whether every step passed (and the disk was published when asked).</param>
/// <param name="Reason">Why it failed, in words a user can act on; on success a short summary.</param>
/// <param name="BootToFirstStep">From QEMU's start to the first <c>wait</c> satisfied; null if none was.</param>
/// <param name="OverlayCreation">How long <c>qemu-img create</c> of the job's overlay took.</param>
/// <param name="Steps">The steps that ran, in order (the failed one last).</param>
/// <param name="SerialLog">Everything the guest printed on its serial console.</param>
/// <param name="QemuLog">QEMU's own messages (stderr).</param>
/// <param name="Screenshot">The VGA console as PNG at the failure, if one was taken.</param>
/// <param name="JunitFiles">The JUnit XML files fetched from the guest.</param>
/// <param name="JunitTests">Test cases in those files.</param>
/// <param name="JunitFailures">Failed (or errored) test cases in those files.</param>
/// <param name="PublishedDisk">The standalone qcow2 the next job of a chain may boot, if published.</param>
/// <param name="Duration">The whole job, overlay to last file.</param>
public sealed record VmJobResult(
    bool Passed,
    string Reason,
    TimeSpan? BootToFirstStep,
    TimeSpan OverlayCreation,
    IReadOnlyList<VmStepResult> Steps,
    string SerialLog,
    string QemuLog,
    string? Screenshot,
    IReadOnlyList<string> JunitFiles,
    int JunitTests,
    int JunitFailures,
    string? PublishedDisk,
    TimeSpan Duration);

/// <summary>One step's outcome: its number (from 1), kind (wait, type, run, expect_fail, junit), text, whether it passed, what happened, how long it took.</summary>
public sealed record VmStepResult(int Number, string Kind, string Text, bool Passed, string Detail, TimeSpan Duration);

using Forgeline.Images.Plans;

namespace Forgeline.Images.Vm;

/// <summary>
/// One VM test job as <see cref="VmJobRunner"/> runs it: the disk it boots (never written: the job runs on an overlay),
/// how it boots, the VM's size and limits, what else is attached, the steps on the serial console and whether a passed
/// job publishes its disk for the next job of a chain.
/// </summary>
public sealed record VmJobSpec
{
    /// <summary>The qcow2 disk the job starts from: an image, or the disk an earlier job published. It must be standalone (no backing file).</summary>
    public required string BaseDisk { get; init; }

    /// <summary>How the VM boots; the disk's own bootloader unless a kernel is given.</summary>
    public VmBoot Boot { get; init; } = VmBoot.Firmware;

    /// <summary>The VM's memory, MiB.</summary>
    public int MemoryMb { get; init; } = 512;

    /// <summary>The whole job (boot, steps, power-off) ends, failed, after this long; the serial log is kept.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An isolated user-mode network (<c>-nic user,restrict=on</c>: the guest reaches nothing outside); none by default.</summary>
    public bool Network { get; init; }

    /// <summary>Further disks, attached read-only after the job's disk (<c>/dev/vdb</c>, …), e.g. an ISO of a repository publication.</summary>
    public IReadOnlyList<VmAttachment> Attachments { get; init; } = [];

    /// <summary>What to do on the serial console, in order (the test plan's step model).</summary>
    public required IReadOnlyList<TestStep> Steps { get; init; }

    /// <summary>Whether a passed job powers the guest off and publishes its disk (flattened, standalone qcow2).</summary>
    public bool PublishDisk { get; init; }

    /// <summary>The spec of a plan's <paramref name="job"/> booting <paramref name="baseDisk"/> the way <paramref name="boot"/> says.</summary>
    public static VmJobSpec For(TestJob job, string baseDisk, VmBoot boot, IReadOnlyList<VmAttachment>? attachments = null) => new()
    {
        BaseDisk = baseDisk,
        Boot = boot,
        MemoryMb = job.MemoryMb,
        Timeout = TimeSpan.FromSeconds(job.TimeoutSeconds),
        Network = job.Network,
        Attachments = attachments ?? [],
        Steps = job.Steps,
        PublishDisk = job.PublishDisk,
    };
}

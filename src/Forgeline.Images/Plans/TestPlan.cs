namespace Forgeline.Images.Plans;

/// <summary>
/// A test plan as a project describes it in YAML (<c>images/tests/NAME.yaml</c>): jobs that each boot an image (or the
/// disk a previous job published, as EOLE's install → daily upgrade → instance chain) in a VM and drive it over the
/// serial console; when it runs (a cron schedule, nightly by default) and what else starts it. Read with
/// <see cref="TestPlanReader"/>, which also checks it.
/// </summary>
public sealed class TestPlan
{
    /// <summary>The plan's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The image (definition name) its first jobs boot.</summary>
    public string Image { get; set; } = "";

    /// <summary>When it runs, as a five-field cron expression in UTC; nightly at 02:00 by default.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>What else starts it: <c>publication</c> (the project's repository was published), <c>bot</c> (<c>/test image</c> on a PR), <c>manual</c>.</summary>
    public List<string> Triggers { get; set; } = ["publication", "bot", "manual"];

    /// <summary>The jobs, in order.</summary>
    public List<TestJob> Jobs { get; set; } = [];
}

/// <summary>One VM boot with its steps.</summary>
public sealed class TestJob
{
    /// <summary>The job's name, unique in the plan.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>image</c> (the plan's image), or the name of an earlier job whose disk it continues from.</summary>
    public string Boot { get; set; } = "image";

    /// <summary>The VM's memory, MiB.</summary>
    public int MemoryMb { get; set; } = 512;

    /// <summary>The job ends (failed) after this long; the serial log is kept.</summary>
    public int TimeoutSeconds { get; set; } = 600;

    /// <summary>An isolated user-mode network for the guest; none by default.</summary>
    public bool Network { get; set; }

    /// <summary>Whether a passed job's disk becomes a template later jobs may boot.</summary>
    public bool PublishDisk { get; set; }

    /// <summary>
    /// Boot through the disk's own bootloader (firmware → MBR → syslinux or GRUB) instead of directly with the image's
    /// kernel: slower under emulation, but it tests the bootloader too. Off by default.
    /// </summary>
    public bool Firmware { get; set; }

    /// <summary>
    /// Give the guest the image's project repositories as they are published now, as a read-only ISO 9660 disk labelled
    /// <c>REPOSITORY</c> (RPMs and repodata) attached after the job's disk (<c>/dev/vdb</c>): how a guest without network
    /// upgrades from a newer publication (<c>mount -t iso9660 /dev/vdb /mnt; rpm -Uvh /mnt/*.rpm</c>, or dnf with
    /// <c>--repofrompath</c>).
    /// </summary>
    public bool Repository { get; set; }

    /// <summary>What to do on the serial console, in order.</summary>
    public List<TestStep> Steps { get; set; } = [];
}

/// <summary>One step on the serial console: exactly one of its actions.</summary>
public sealed class TestStep
{
    /// <summary>Wait until the console shows this text.</summary>
    public string? Wait { get; set; }

    /// <summary>Type this (as is; add <c>\n</c> for Enter).</summary>
    public string? Type { get; set; }

    /// <summary>Run this shell command; the step fails unless it exits 0.</summary>
    public string? Run { get; set; }

    /// <summary>Run this shell command; the step fails if it exits 0.</summary>
    public string? ExpectFail { get; set; }

    /// <summary>Fetch this JUnit XML file from the guest as the job's results.</summary>
    public string? Junit { get; set; }

    /// <summary>How long this step may take, seconds.</summary>
    public int TimeoutSeconds { get; set; } = 120;
}

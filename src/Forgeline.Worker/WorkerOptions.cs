using System.ComponentModel.DataAnnotations;
using Forgeline.Core;
using Forgeline.Core.Workers;
using Forgeline.Worker.Toolchain;

namespace Forgeline.Worker;

/// <summary>Settings of a build agent, bound from <c>Forgeline:Worker</c> and the <c>forgeline worker</c> flags.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Worker";

    /// <summary>Server URL.</summary>
    public Uri? Server { get; set; }

    /// <summary>API token with the <c>worker</c> scope.</summary>
    public string? Token { get; set; }

    /// <summary>Unique name of this worker; the host name by default.</summary>
    [Required]
    public string Name { get; set; } = System.Environment.MachineName.ToLowerInvariant();

    /// <summary>Architecture this worker builds for.</summary>
    [Required]
    public string Arch { get; set; } = BuildEnvironment.MachineArch;

    /// <summary>Builds run at once.</summary>
    [Range(1, 256)]
    public int Slots { get; set; } = 1;

    /// <summary>Where fresh work directories are made (each build gets its own, removed afterwards).</summary>
    [Required]
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "forgeline-work");

    /// <summary>The bubblewrap binary.</summary>
    [Required]
    public string Bubblewrap { get; set; } = "bwrap";

    /// <summary>Capabilities of this worker (<c>kvm</c>, <c>big</c>…); builds that ask for labels only go to workers that have them all.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Name of the build environment, sent with every lease request; computed from the toolchain when empty.</summary>
    public string? Environment { get; set; }

    /// <summary>Whether builds use a compiler cache (ccache) shared by the builds of this worker, when ccache is installed.</summary>
    public bool Ccache { get; set; } = true;

    /// <summary>The compiler cache directory; <c>&lt;work-dir&gt;/ccache-&lt;environment&gt;</c> when empty.</summary>
    public string? CcacheDirectory { get; set; }

    /// <summary>Whether this worker builds in targets' clean roots (needs dnf, unshare and overlayfs); without, it takes only host-toolchain builds.</summary>
    public bool BuildRoots { get; set; } = true;

    /// <summary>The cache of base roots and downloaded RPMs; <c>&lt;work-dir&gt;/root-cache</c> when empty. One worker process per directory.</summary>
    public string? RootCacheDirectory { get; set; }

    /// <summary>How many MiB of downloaded RPMs the root cache keeps per target (oldest removed first).</summary>
    [Range(0, int.MaxValue)]
    public int RootCachePackagesMegabytes { get; set; } = 4096;

    /// <summary>
    /// Whether this worker runs image jobs (builds OS images, boots them in QEMU) when it can: it then adds the
    /// <c>qemu</c> label, and <c>kvm</c> when <c>/dev/kvm</c> is usable.
    /// </summary>
    public bool Images { get; set; } = true;

    /// <summary>The VMs' accelerator: <c>auto</c> (KVM when <c>/dev/kvm</c> opens, else TCG), <c>kvm</c> or <c>tcg</c> (inside a VM without working nested virtualisation).</summary>
    public string VmAccelerator { get; set; } = "auto";

    /// <summary>Every problem with these settings, each naming the setting and saying what is allowed.</summary>
    public IReadOnlyList<string> FindProblems()
    {
        var problems = new List<string>();
        if (Slots is < 1 or > 256)
        {
            problems.Add($"slots must be between 1 and 256, not {Slots} (--slots, Forgeline:Worker:Slots)");
        }

        foreach (var label in Labels.Where(l => !WorkerLabel.IsValid(l)))
        {
            problems.Add($"label '{label}' is not valid: use {WorkerLabel.Rule} (--label, Forgeline:Worker:Labels)");
        }

        if (!Enum.TryParse<Forgeline.Images.Vm.VmAccelerator>(VmAccelerator, ignoreCase: true, out _))
        {
            problems.Add($"the VM accelerator must be auto, kvm or tcg, not '{VmAccelerator}' (--vm-accelerator, Forgeline:Worker:VmAccelerator)");
        }

        if (RootCachePackagesMegabytes < 0)
        {
            problems.Add($"the root cache's package limit must be 0 MiB or more, not {RootCachePackagesMegabytes} (--root-cache-packages-mb, Forgeline:Worker:RootCachePackagesMegabytes)");
        }

        if (Environment is not null && !ResourceName.IsValid(Environment))
        {
            problems.Add($"environment '{Environment}' is not valid: use {ResourceName.Rule} (--environment, Forgeline:Worker:Environment)");
        }

        return problems;
    }
}

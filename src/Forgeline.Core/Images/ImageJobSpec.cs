using System.Text.Json;
using Forgeline.Core.Workers;

namespace Forgeline.Core.Images;

/// <summary>
/// What a build of kind <see cref="Builds.SourceKind.Image"/> does, as the JSON document its source blob holds: build an
/// OS image (<see cref="Build"/>) or boot one in a VM and run a test job on it (<see cref="Vm"/>). The images part writes
/// these; workers with the <see cref="QemuLabel"/> label lease them from the build queue like any build.
/// </summary>
/// <param name="Build">An image build, or null.</param>
/// <param name="Vm">A VM test job, or null.</param>
public sealed record ImageJobSpec(ImageBuildSpec? Build = null, ImageVmJobSpec? Vm = null)
{
    /// <summary>The worker label image jobs ask for: the worker has QEMU and the image tools (<c>kvm</c> workers have it too).</summary>
    public const string QemuLabel = "qemu";

    /// <summary>The label a worker adds when its VMs run under KVM (it has <see cref="QemuLabel"/> too).</summary>
    public const string KvmLabel = "kvm";

    /// <summary>The upload kind of a spec (<c>POST /api/v1/uploads?kind=image-job</c>).</summary>
    public const string UploadKind = "image-job";

    /// <summary>The largest spec accepted.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Reads a spec; null with <paramref name="problem"/> set when <paramref name="json"/> is not a valid one.</summary>
    public static ImageJobSpec? Parse(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        if (json.Length > MaxBytes)
        {
            problem = $"an image job spec may be at most {MaxBytes / 1024} KiB";
            return null;
        }

        ImageJobSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ImageJobSpec>(json, ForgelineJson.Options);
        }
        catch (JsonException e)
        {
            problem = $"not an image job spec: {e.Message}";
            return null;
        }

        problem = spec switch
        {
            null => "not an image job spec: empty",
            { Build: null, Vm: null } or { Build: not null, Vm: not null } => "an image job spec holds exactly one of build and vm",
            { Build: { } b } when string.IsNullOrWhiteSpace(b.Definition) || !ResourceName.IsValid(b.Name) => "an image build needs a definition and a valid image name",
            { Vm: { } v } when !Sha256Hex.IsValid(v.Disk.Sha256) || string.IsNullOrWhiteSpace(v.Plan) || string.IsNullOrWhiteSpace(v.Job) => "a VM job needs its disk's sha256, its plan and its job",
            _ => null,
        };
        return problem is null ? spec : null;
    }

    /// <summary>The one-line description shown for the build: <c>image tiny</c> or <c>vm nightly/install</c>.</summary>
    public string Describe() => Build is { } b ? $"image {b.Name}" : $"vm {Vm!.PlanName}/{Vm.Job}";
}

/// <summary>An image build: the definition (YAML, as the project wrote it) and its repositories resolved by the server.</summary>
/// <param name="Name">The image's name.</param>
/// <param name="Definition">The image definition, YAML.</param>
/// <param name="Repositories">
/// Its repositories as dnf sees them: URLs (a path starting with <c>/</c> is on the Forgeline server, reached with the
/// worker's token) and keys. A project's repository is <c>/repos/PROJECT/CHROOT/</c> checked with the project's key.
/// </param>
public sealed record ImageBuildSpec(string Name, string Definition, IReadOnlyList<JobRepository> Repositories);

/// <summary>One VM test job: the plan (YAML) and which of its jobs, the disk to boot and what else the VM gets.</summary>
/// <param name="Plan">The test plan, YAML.</param>
/// <param name="PlanName">The plan's name.</param>
/// <param name="Job">The job of the plan to run.</param>
/// <param name="Disk">The qcow2 it boots (an overlay is made over it: it never changes).</param>
/// <param name="Kernel">The image's uncompressed kernel (<c>vmlinux</c>) for direct boot; null: boot the disk's own bootloader.</param>
/// <param name="Initrd">The image's stage-1 initramfs, with <paramref name="Kernel"/>.</param>
/// <param name="Cmdline">The kernel command line for direct boot (the image definition's).</param>
/// <param name="Repository">
/// RPMs of the image's project repositories as published now, given to the guest as a read-only CD (with repodata):
/// how a guest without network upgrades from a newer publication. Empty unless the job asks for it.
/// </param>
public sealed record ImageVmJobSpec(
    string Plan,
    string PlanName,
    string Job,
    JobDependency Disk,
    JobDependency? Kernel = null,
    JobDependency? Initrd = null,
    string? Cmdline = null,
    IReadOnlyList<JobDependency>? Repository = null);

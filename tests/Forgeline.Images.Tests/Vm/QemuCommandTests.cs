using Forgeline.Images.Plans;
using Forgeline.Images.Vm;

namespace Forgeline.Images.Tests.Vm;

/// <summary>QEMU's and bubblewrap's command lines for a job: no network unless asked (and then isolated), attachments read-only, the job directory the only writable place.</summary>
public sealed class QemuCommandTests
{
    private static readonly QemuCommand.Paths Paths = new("/jobs/j,1/disk.qcow2", "/jobs/j,1/serial.sock", "/jobs/j,1/qmp.sock");

    [Fact]
    public void A_direct_boot_without_network_loads_the_kernel_with_the_root_and_waits_for_the_serial_console()
    {
        var spec = new VmJobSpec
        {
            BaseDisk = "/images/base.qcow2",
            Boot = VmBoot.Direct("/k/vmlinux", "/k/stage1.cpio"),
            MemoryMb = 256,
            Attachments = [new VmAttachment("/pub/repo.iso")],
            Steps = [new TestStep { Wait = "login:" }],
        };

        var args = string.Join(' ', QemuCommand.Arguments(spec, Paths, VmAccelerator.Tcg));

        args.ShouldContain("-accel tcg -machine pc -smp 1 -m 256 -display none -vga std -no-reboot");
        args.ShouldContain("-nic none");
        args.ShouldContain("-chardev socket,id=serial0,path=/jobs/j,,1/serial.sock,server=on,wait=on -serial chardev:serial0");
        args.IndexOf("id=qmp", StringComparison.Ordinal).ShouldBeLessThan(args.IndexOf("id=serial0", StringComparison.Ordinal), "QEMU stops at the serial socket; QMP must exist by then");
        args.ShouldContain("-drive file=/jobs/j,,1/disk.qcow2,format=qcow2,if=virtio -drive file=/pub/repo.iso,format=raw,if=virtio,readonly=on");
        args.ShouldContain("-kernel /k/vmlinux -initrd /k/stage1.cpio -append console=tty0 console=ttyS0 panic=-1 root=/dev/vda2");
    }

    [Fact]
    public void A_firmware_boot_with_network_has_no_kernel_and_an_isolated_user_network()
    {
        var spec = new VmJobSpec { BaseDisk = "/images/base.qcow2", Network = true, Steps = [new TestStep { Wait = "login:" }] };

        var args = QemuCommand.Arguments(spec, Paths, VmAccelerator.Kvm);

        args.ShouldNotContain("-kernel");
        string.Join(' ', args).ShouldContain("-accel kvm");
        string.Join(' ', args).ShouldContain("-nic user,restrict=on");
    }

    [Fact]
    public void The_sandbox_unshares_everything_drops_capabilities_and_binds_inputs_read_only_over_the_job_directory()
    {
        var args = QemuCommand.Sandboxed(["/usr/bin/qemu-system-x86_64", "-m", "256"], "/jobs/j1", ["/images/base.qcow2", "/jobs/j1/input.iso"], kvm: false);

        var text = string.Join(' ', args);
        text.ShouldStartWith("--unshare-all --die-with-parent --new-session --cap-drop ALL --ro-bind /usr /usr");
        text.ShouldNotContain("--share-net");
        text.ShouldNotContain("/dev/kvm");
        text.ShouldContain("--bind /jobs/j1 /jobs/j1 --ro-bind /images/base.qcow2 /images/base.qcow2 --ro-bind /jobs/j1/input.iso /jobs/j1/input.iso");
        text.ShouldEndWith("-- /usr/bin/qemu-system-x86_64 -m 256");
        string.Join(' ', QemuCommand.Sandboxed(["qemu"], "/jobs/j1", [], kvm: true)).ShouldContain("--dev-bind /dev/kvm /dev/kvm");
    }
}

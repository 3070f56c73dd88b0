namespace Forgeline.Images.Vm;

/// <summary>What a VM job keeps in its directory.</summary>
internal sealed record VmJobFiles(string Directory)
{
    public string Overlay => Path.Combine(Directory, "disk.qcow2");

    public string SerialLog => Path.Combine(Directory, "serial.log");

    public string QemuLog => Path.Combine(Directory, "qemu.log");

    public string SerialSocket => Path.Combine(Directory, "serial.sock");

    public string QmpSocket => Path.Combine(Directory, "qmp.sock");

    public string Screenshot => Path.Combine(Directory, "failure.png");

    public string PublishedDisk => Path.Combine(Directory, "published.qcow2");
}

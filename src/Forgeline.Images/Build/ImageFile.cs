namespace Forgeline.Images.Build;

/// <summary>
/// One file an image build made: <see cref="Kind"/> is <c>qcow2</c>, <c>raw</c>, <c>rootfs</c> (tar.gz), <c>iso</c>,
/// <c>vmlinux</c> (the kernel's ELF, booted directly with <c>-kernel</c>) or <c>initrd</c> (the stage-1 initramfs that
/// mounts <c>root=</c>).
/// </summary>
public sealed record ImageFile(string Kind, string Path, long Size, string Sha256);

namespace Forgeline.Images.Vm;

/// <summary>A disk attached read-only to a job's VM, e.g. an ISO of a repository publication; <paramref name="Format"/> as QEMU names it (raw, qcow2).</summary>
public sealed record VmAttachment(string Path, string Format = "raw");

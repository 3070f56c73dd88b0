namespace Forgeline.Images.Vm;

/// <summary>How QEMU runs the guest's CPU.</summary>
public enum VmAccelerator
{
    /// <summary>KVM when <c>/dev/kvm</c> can be opened read-write, else TCG.</summary>
    Auto,

    /// <summary>Hardware virtualisation.</summary>
    Kvm,

    /// <summary>QEMU's software emulation: slower, works everywhere.</summary>
    Tcg,
}

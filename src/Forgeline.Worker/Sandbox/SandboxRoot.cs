namespace Forgeline.Worker.Sandbox;

/// <summary>
/// A distribution root a sandboxed command runs in (<see cref="SandboxRootUse.RunInside"/>: it is <c>/</c>) or
/// installs into (<see cref="SandboxRootUse.InstallInto"/>: the host's dnf sees it at <see cref="InstallPath"/>).
/// Either a plain host directory (<see cref="Layers"/> null), or an overlayfs of <see cref="Layers"/>, the top one
/// first, mounted on <see cref="MountPoint"/> in the sandbox's own mount namespace: writable into <see cref="Upper"/>
/// when it is given, read-only otherwise. The layers themselves are never changed.
/// </summary>
/// <param name="MountPoint">The plain directory, or the empty directory the overlay is mounted on.</param>
/// <param name="Use">How the command uses it.</param>
/// <param name="Layers">The read-only layers, top first; null for a plain directory.</param>
/// <param name="Upper">The writable layer; null for a read-only overlay.</param>
/// <param name="Work">overlayfs's work directory, on the same file system as <paramref name="Upper"/>.</param>
public sealed record SandboxRoot(string MountPoint, SandboxRootUse Use, IReadOnlyList<string>? Layers = null, string? Upper = null, string? Work = null)
{
    /// <summary>Where an installing command (dnf) sees the root.</summary>
    public const string InstallPath = "/installroot";

    /// <summary>Directories every root needs as mount points of the sandbox; made in the writable layer before it is mounted.</summary>
    public static readonly IReadOnlyList<string> MountPoints = ["build", "proc", "dev", "tmp", "var/tmp"];
}

/// <summary>How a sandboxed command uses its <see cref="SandboxRoot"/>.</summary>
public enum SandboxRootUse
{
    /// <summary>The root is <c>/</c>, read-only; only <c>/build</c>, <c>/tmp</c> and the binds are writable; no capabilities.</summary>
    RunInside,

    /// <summary>
    /// The host's package manager installs into it: the host's <c>/usr</c> runs, the root is writable at
    /// <see cref="SandboxRoot.InstallPath"/>, and the command keeps the capabilities rpm needs to install (owners,
    /// modes, chroot for scriptlets), but no others.
    /// </summary>
    InstallInto,
}

namespace Forgeline.Worker.Sandbox;

/// <summary>
/// A host directory laid read-only over one of the host directories the sandbox shows (<c>/usr</c> or <c>/etc</c>):
/// the command sees both trees merged, the layer's files winning. The host's own directory is never changed: the
/// merged tree is an overlayfs mounted on <paramref name="MountPoint"/> in a mount namespace of the sandbox's own.
/// </summary>
/// <param name="LayerPath">The host directory whose files appear on top, e.g. <c>&lt;deps&gt;/root/usr</c>; a real directory, not a symlink.</param>
/// <param name="SandboxPath"><c>/usr</c> or <c>/etc</c>.</param>
/// <param name="MountPoint">An empty host directory for the merged tree; outside the sandbox's namespace it stays empty.</param>
public sealed record SandboxOverlay(string LayerPath, string SandboxPath, string MountPoint);

namespace Forgeline.Worker.Sandbox;

/// <summary>A host directory mounted into the sandbox, read-write unless <paramref name="ReadOnly"/>.</summary>
/// <param name="HostPath">The directory on the host; it must exist.</param>
/// <param name="SandboxPath">Where the command sees it, e.g. <c>/ccache</c>.</param>
/// <param name="ReadOnly">Whether the command may only read it.</param>
public sealed record SandboxBind(string HostPath, string SandboxPath, bool ReadOnly = false);

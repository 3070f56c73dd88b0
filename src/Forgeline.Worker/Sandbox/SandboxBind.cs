namespace Forgeline.Worker.Sandbox;

/// <summary>A host directory mounted read-write into the sandbox.</summary>
/// <param name="HostPath">The directory on the host; it must exist.</param>
/// <param name="SandboxPath">Where the command sees it, e.g. <c>/ccache</c>.</param>
public sealed record SandboxBind(string HostPath, string SandboxPath);

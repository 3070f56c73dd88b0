namespace Forgeline.Worker.Sandbox;

/// <summary>One command to run in the sandbox, with its limits.</summary>
/// <param name="WorkDirectory">Host directory mounted read-write at <c>/build</c>; nothing else is writable but a private /tmp.</param>
/// <param name="Command">The program and its arguments, as seen inside the sandbox.</param>
/// <param name="Network">Whether the command may use the network (only to fetch sources; builds never).</param>
/// <param name="Timeout">Wall-clock limit.</param>
/// <param name="OutputLimit">The command is stopped when its output passes this many bytes.</param>
public sealed record SandboxRequest(string WorkDirectory, IReadOnlyList<string> Command, bool Network, TimeSpan Timeout, long OutputLimit);

/// <summary>How a sandboxed command ended.</summary>
public enum SandboxOutcome
{
    /// <summary>It exited by itself; see the exit code.</summary>
    Exited,

    /// <summary>It ran past its wall-clock limit and was killed.</summary>
    TimedOut,

    /// <summary>It printed more than its output limit and was killed.</summary>
    OutputLimitExceeded,

    /// <summary>It was stopped from outside (cancel or shutdown).</summary>
    Stopped,
}

/// <summary>The result of a sandboxed command.</summary>
public sealed record SandboxResult(SandboxOutcome Outcome, int ExitCode, long OutputBytes)
{
    /// <summary>Exited with status 0.</summary>
    public bool Succeeded => Outcome == SandboxOutcome.Exited && ExitCode == 0;
}

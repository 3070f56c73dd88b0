namespace Forgeline.Worker.Sandbox;

/// <summary>One command to run in the sandbox, with its limits.</summary>
/// <param name="WorkDirectory">Host directory mounted read-write at <c>/build</c>; nothing else is writable but a private /tmp and <paramref name="Binds"/>.</param>
/// <param name="Command">The program and its arguments, as seen inside the sandbox.</param>
/// <param name="Network">Whether the command may use the network (only to fetch sources; builds never).</param>
/// <param name="Timeout">Wall-clock limit.</param>
/// <param name="OutputLimit">The command is stopped when its output passes this many bytes.</param>
/// <param name="Binds">More host directories mounted (the compiler cache, build dependencies); none by default.</param>
/// <param name="Environment">Variables set in the sandbox on top of (or instead of) its own PATH, HOME, LANG and TMPDIR.</param>
/// <param name="Overlays">Trees laid over the host's <c>/usr</c> or <c>/etc</c> (installed build dependencies); none by default, and then bwrap starts directly.</param>
/// <param name="Root">A distribution root to run inside or install into instead of the host's <c>/usr</c>; null for the host's.</param>
public sealed record SandboxRequest(
    string WorkDirectory,
    IReadOnlyList<string> Command,
    bool Network,
    TimeSpan Timeout,
    long OutputLimit,
    IReadOnlyList<SandboxBind>? Binds = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyList<SandboxOverlay>? Overlays = null,
    SandboxRoot? Root = null);

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

    /// <summary>The sandbox itself could not be set up (bwrap missing, namespaces refused…); the command never ran.</summary>
    FailedToStart,
}

/// <summary>The result of a sandboxed command.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">Exit status of bwrap, which is the command's own once it ran.</param>
/// <param name="OutputBytes">Bytes the command printed.</param>
/// <param name="StartProblem">For <see cref="SandboxOutcome.FailedToStart"/>: what went wrong, e.g. bwrap's own error line.</param>
public sealed record SandboxResult(SandboxOutcome Outcome, int ExitCode, long OutputBytes, string? StartProblem = null)
{
    /// <summary>Exited with status 0.</summary>
    public bool Succeeded => Outcome == SandboxOutcome.Exited && ExitCode == 0;
}

namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>Exit code and output of one run of a command-line tool.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

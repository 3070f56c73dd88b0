using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>Runs the real command-line verifiers.</summary>
internal static class Tool
{
    /// <summary>Runs it; returns the exit code and stdout and stderr together (the tools split their reports between them).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(file, args, timeout: TimeSpan.FromMinutes(1));
        return (code, stdout + stderr);
    }

    /// <summary>Runs it and fails the test, with its output, unless it exits 0.</summary>
    public static async Task<string> RunOkAsync(string file, params string[] args)
    {
        var (code, output) = await RunAsync(file, args);
        code.ShouldBe(0, $"{file} {string.Join(' ', args)} failed:\n{output}");
        return output;
    }
}

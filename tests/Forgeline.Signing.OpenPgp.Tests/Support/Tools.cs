using Forgeline.Testing;

namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>Runs the real verifiers (gpg, rpm, rpmkeys, skopeo) with a C locale so their messages can be asserted.</summary>
public static class Tools
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>, adding <paramref name="environment"/> to LC_ALL=C.</summary>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["LC_ALL"] = "C" };
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(program, args, environment: env, timeout: TimeSpan.FromSeconds(60));
        return new ToolResult(code, stdout, stderr);
    }

    /// <summary>Runs a command that must succeed.</summary>
    public static async Task<ToolResult> RunCheckedAsync(string program, params string[] args)
    {
        ToolResult result = await RunAsync(program, args);
        result.ExitCode.ShouldBe(0, $"{program} {string.Join(' ', args)} failed: {result.Output}");
        return result;
    }
}

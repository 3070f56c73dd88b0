using System.Diagnostics;

namespace Forgeline.Rpm.Tests;

/// <summary>Runs the real rpm command-line tools (rpm, rpmkeys, rpmbuild) with a C locale.</summary>
internal static class RpmCli
{
    /// <summary>Outcome of one command.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="program"/> and waits for it (at most 60 s).</summary>
    public static Result Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 60 s");
        }

        return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Runs a command that must succeed and returns its standard output.</summary>
    public static string RunChecked(string program, params string[] arguments)
    {
        Result result = Run(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        }

        return result.Output;
    }

    /// <summary>Queries one package file with an rpm --queryformat string.</summary>
    public static string Query(string file, string format) => RunChecked("rpm", "-qp", "--nosignature", "--qf", format, file);

    /// <summary>Checks a package's digests (not signatures) with rpmkeys -Kv --nosignature.</summary>
    public static Result CheckDigests(string file) => Run("rpmkeys", "-Kv", "--nosignature", file);
}

using System.Diagnostics;

/// <summary>The peers: a sandboxed <c>sh -c echo</c> started directly, no server, no WebSocket, timed to its output byte.</summary>
internal static class DirectSandbox
{
    /// <summary>bwrap alone over the image, as a person would run it by hand.</summary>
    public static IReadOnlyList<string> Bwrap(string image) =>
        ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", image, "/", "--proc", "/proc", "--dev", "/dev", "/bin/sh", "-c", "echo"];

    /// <summary>Starts <paramref name="command"/> and returns the time to the first byte on its stdout; waits for it to exit (untimed).</summary>
    public static async Task<TimeSpan> TimeToOutputAsync(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stderr = process.StandardError.ReadToEndAsync();
        var read = await process.StandardOutput.BaseStream.ReadAsync(new byte[1]);
        var elapsed = clock.Elapsed;
        await process.WaitForExitAsync();
        if (read == 0 || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command.Take(3))} … exited {process.ExitCode} without output: {await stderr}");
        }

        return elapsed;
    }
}

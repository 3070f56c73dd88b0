namespace Forgeline.Testing.Playground;

/// <summary>What runs on this machine, read from /proc: how tests check that a session's processes are gone.</summary>
public static class HostProcesses
{
    /// <summary>How many processes run exactly <paramref name="commandLine"/> (arguments joined by spaces), e.g. <c>sleep 1234</c>.</summary>
    public static int Count(string commandLine) =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Count(d =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ').Trim() == commandLine;
            }
            catch (IOException)
            {
                // The process ended while it was being read.
                return false;
            }
        });

    /// <summary>
    /// Waits until exactly <paramref name="count"/> processes run <paramref name="commandLine"/>: a shell's <c>cmd &amp;</c>
    /// may print its next line before the background child has exec'd, and a killed process may take a moment to go.
    /// </summary>
    public static async Task WaitForAsync(string commandLine, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        int seen;
        while ((seen = Count(commandLine)) != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{seen} process(es) run '{commandLine}', not {count}");
            }

            await Task.Delay(50);
        }
    }
}

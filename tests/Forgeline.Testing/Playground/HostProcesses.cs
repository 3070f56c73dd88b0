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
}

using System.Diagnostics;

namespace Forgeline.BotDeliveries;

/// <summary>CPU seconds (user + system) used so far by two processes: the one measured (X) and this one (Y).</summary>
/// <param name="X">The process measured: the server or a baseline receiver.</param>
/// <param name="Y">This process: the client sending deliveries and the fake forge.</param>
internal readonly record struct CpuTime(double X, double Y)
{
    /// <summary>Reads both processes' CPU time now.</summary>
    public static CpuTime Of(int measured)
    {
        using var a = Process.GetProcessById(measured);
        using var b = Process.GetCurrentProcess();
        return new CpuTime(a.TotalProcessorTime.TotalSeconds, b.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>
    /// CPU seconds used so far by the .NET tiered compiler's background thread of process <paramref name="pid"/> (from
    /// /proc): while it still works, the process runs code that is not yet optimised.
    /// </summary>
    public static double CompilerSeconds(int pid)
    {
        var ticks = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields 14 and 15 (utime, stime), after the command name in parentheses.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return ticks / 100.0;
    }

    /// <summary>What was used between two readings.</summary>
    public static CpuTime operator -(CpuTime later, CpuTime earlier) => new(later.X - earlier.X, later.Y - earlier.Y);
}

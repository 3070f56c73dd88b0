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

    /// <summary>What was used between two readings.</summary>
    public static CpuTime operator -(CpuTime later, CpuTime earlier) => new(later.X - earlier.X, later.Y - earlier.Y);
}

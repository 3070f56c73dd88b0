using System.Runtime.InteropServices;

namespace Forgeline.Playground.Sessions;

/// <summary>kill(2), for processes the runtime did not start.</summary>
internal static partial class Signals
{
    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGHUP: what a terminal's hang-up sends its session.</summary>
    public const int SigHangUp = 1;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}


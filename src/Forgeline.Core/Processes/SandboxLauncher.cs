using System.Collections.Concurrent;
using System.Diagnostics;

namespace Forgeline.Core.Processes;

/// <summary>
/// Starts processes that run under bubblewrap's <c>--die-with-parent</c> (build steps, image packing tools, QEMU) from one
/// thread that lives as long as the process. <c>--die-with-parent</c> is PR_SET_PDEATHSIG, which fires when the
/// <em>thread</em> that forked bwrap exits: started from a thread-pool thread that the pool later retires, a long build
/// or VM would be killed mid-run (SIGKILL, exit status 137).
/// </summary>
public static class SandboxLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    static SandboxLauncher()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "forgeline sandbox launcher" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="start"/> on the launcher thread.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Loop()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}"));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}

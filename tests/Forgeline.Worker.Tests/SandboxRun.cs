using System.Text;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>
/// Collects what <see cref="BubblewrapSandbox.RunAsync"/> passes to its output callback, and lets a test await a piece
/// of text appearing (a signal, never a sleep).
/// </summary>
internal sealed class OutputCollector
{
    private readonly MemoryStream bytes = new();
    private readonly List<(string Needle, TaskCompletionSource Seen)> waiters = [];

    /// <summary>How many times the callback was called.</summary>
    public int Calls { get; private set; }

    /// <summary>Everything received so far.</summary>
    public byte[] Bytes
    {
        get
        {
            lock (bytes)
            {
                return bytes.ToArray();
            }
        }
    }

    /// <summary>Everything received so far, as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>The callback to hand to the sandbox.</summary>
    public Task OnOutputAsync(ReadOnlyMemory<byte> chunk)
    {
        string text;
        lock (bytes)
        {
            Calls++;
            bytes.Write(chunk.Span);
            text = Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
            foreach (var (needle, seen) in waiters)
            {
                if (text.Contains(needle, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes when the output contains <paramref name="needle"/>; fails after 30 s.</summary>
    public Task WaitForAsync(string needle)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (bytes)
        {
            waiters.Add((needle, seen));
            if (Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length).Contains(needle, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        return seen.Task.WaitAsync(Sandboxed.Patience);
    }
}

/// <summary>Runs commands through the real <c>bwrap</c> with the worker's sandbox.</summary>
internal static class Sandboxed
{
    /// <summary>How long any await may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A request with a 30 s timeout and a 1 MiB output limit unless told otherwise.</summary>
    public static SandboxRequest Request(string workDirectory, string[] command, bool network = false, TimeSpan? timeout = null, long outputLimit = 1024 * 1024) =>
        new(workDirectory, command, network, timeout ?? Patience, outputLimit);

    /// <summary>Runs the request and waits for it (at most <see cref="Patience"/>).</summary>
    public static async Task<(SandboxResult Result, OutputCollector Output)> RunAsync(SandboxRequest request, CancellationToken stop = default)
    {
        var output = new OutputCollector();
        var result = await Start(request, output, stop).WaitAsync(Patience, CancellationToken.None);
        return (result, output);
    }

    /// <summary>Starts <see cref="BubblewrapSandbox.RunAsync"/> as the worker does, from whatever thread calls it.</summary>
    public static Task<SandboxResult> Start(SandboxRequest request, OutputCollector output, CancellationToken stop) =>
        new BubblewrapSandbox().RunAsync(request, output.OnOutputAsync, stop);

    /// <summary>Runs <c>sh -c script</c> in <paramref name="workDirectory"/> with no network.</summary>
    public static Task<(SandboxResult Result, OutputCollector Output)> ShAsync(string workDirectory, string script, bool network = false) =>
        RunAsync(Request(workDirectory, ["sh", "-c", script], network));

    /// <summary>Host processes whose command line contains <paramref name="marker"/> (pgrep -f; it never lists itself).</summary>
    public static async Task<string> HostProcessesMatchingAsync(string marker)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("pgrep", ["-a", "-f", marker], timeout: Patience);
        // pgrep: 0 = some matched, 1 = none matched, anything else = pgrep itself failed.
        code.ShouldBeOneOf([0, 1], $"pgrep failed: {stderr}");
        return stdout.Trim();
    }

    /// <summary>A marker nobody else's command line contains.</summary>
    public static string UniqueMarker() => "FLMARK" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A <c>sleep</c> argument of about 600 s that no other command line contains (GNU sleep takes fractions), so
    /// <c>pgrep -f</c> finds both the shell running it and the <c>sleep</c> process itself.
    /// </summary>
    public static string UniqueSleepSeconds() => "600." + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

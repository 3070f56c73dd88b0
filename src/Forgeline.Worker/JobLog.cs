using System.Text;
using Forgeline.Core.Client;

namespace Forgeline.Worker;

/// <summary>
/// The log of one job: output is buffered and sent to the server in batches at least every
/// <see cref="FlushInterval"/>, each at the offset it belongs, so a resent batch is never duplicated.
/// </summary>
public sealed class JobLog : IBuildLog, IAsyncDisposable
{
    /// <summary>Longest time a line waits before it is sent.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly ForgelineClient client;
    private readonly string leaseId;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly MemoryStream pending = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task flusher;
    private long sent;

    /// <summary>A log appending after the <paramref name="initialLength"/> bytes the server already holds.</summary>
    public JobLog(ForgelineClient client, string leaseId, long initialLength)
    {
        this.client = client;
        this.leaseId = leaseId;
        sent = initialLength;
        flusher = Task.Run(FlushLoopAsync);
    }

    /// <summary>Adds output of the build.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await gate.WaitAsync();
        try
        {
            pending.Write(bytes.Span);
        }
        finally
        {
            gate.Release();
        }

        if (pending.Length > 256 * 1024)
        {
            await FlushAsync();
        }
    }

    /// <summary>Adds a line written by the worker itself.</summary>
    public Task LineAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes($"forgeline: {text}\n"));

    /// <summary>Sends what is buffered.</summary>
    public async Task FlushAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (pending.Length == 0)
            {
                return;
            }

            var bytes = pending.ToArray();
            await SendWithRetryAsync(bytes);
            sent += bytes.Length;
            pending.SetLength(0);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task SendWithRetryAsync(byte[] bytes)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.AppendLogAsync(leaseId, sent, bytes);
                return;
            }
            catch (HttpRequestException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private async Task FlushLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, stop.Token);
                await FlushAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException)
            {
                // The lease may be gone; the heartbeat notices and stops the job.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await flusher;
        stop.Dispose();
    }
}

using System.Text;
using Forgeline.Core.Client;

namespace Forgeline.Worker;

/// <summary>
/// The log of one job: output is buffered and sent to the server in batches, each at the offset it belongs, so a resent
/// batch is never duplicated. A batch goes <see cref="FlushInterval"/> after the first byte that is not sent yet, with
/// everything written meanwhile: a byte waits at most that long, and a step that prints nothing costs no request.
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
    private readonly TimeProvider time;
    // Released when a byte arrives that no scheduled send will carry; armed is 1 while a send is scheduled.
    private readonly SemaphoreSlim arrived = new(0, 1);
    private int armed;
    private long sent;

    /// <summary>A log appending after the <paramref name="initialLength"/> bytes the server already holds.</summary>
    /// <param name="client">The server.</param>
    /// <param name="leaseId">The job's lease.</param>
    /// <param name="initialLength">Bytes the server's log already has.</param>
    /// <param name="time">The clock of the periodic sends and retries; the system's by default.</param>
    public JobLog(ForgelineClient client, string leaseId, long initialLength, TimeProvider? time = null)
    {
        this.client = client;
        this.leaseId = leaseId;
        this.time = time ?? TimeProvider.System;
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

        if (Interlocked.Exchange(ref armed, 1) == 0)
        {
            arrived.Release();
        }

        if (pending.Length > 256 * 1024)
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception e) when (ServerRetry.IsTransient(e))
            {
                // The server cannot take it now (its disk is full, it restarts): the bytes stay buffered for the next
                // send or the completion; the build goes on.
            }
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

    /// <summary>
    /// Stops the periodic sends and hands over what is still buffered with the offset it goes at, unsent: the job's
    /// completion carries it (<see cref="Forgeline.Core.Workers.CompleteJobRequest.LogTail"/>). Nothing may be written after.
    /// </summary>
    public async Task<(long Offset, byte[] Bytes)> DetachTailAsync()
    {
        await stop.CancelAsync();
        await flusher;
        await gate.WaitAsync();
        try
        {
            var bytes = pending.ToArray();
            pending.SetLength(0);
            return (sent, bytes);
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
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time);
            }
        }
    }

    private async Task FlushLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await arrived.WaitAsync(stop.Token);
                await Task.Delay(FlushInterval, time, stop.Token);
                // Bytes written from here on schedule the next send (this one may carry them too).
                Volatile.Write(ref armed, 0);
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
        arrived.Dispose();
    }
}

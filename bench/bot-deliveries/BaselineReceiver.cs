using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.BotDeliveries;

/// <summary>
/// The baseline the bot's intake is measured against: only what a webhook receiver cannot avoid before answering 202.
/// A Kestrel endpoint that reads the body, checks <c>X-Hub-Signature-256</c> in constant time, refuses a delivery id it
/// has seen (in memory), and appends the delivery to one file with group commit: one writer drains everything waiting,
/// writes it, flushes it to the kernel and — unless told not to — <c>fdatasync</c>s once per batch; each request is
/// answered only after its batch is written. No parsing, no database, no queue, no processing.
/// Runs as its own process (this executable with <c>baseline</c>), as the forgeline server does.
/// </summary>
internal sealed class BaselineReceiver(string secret, string file, bool sync)
{
    private const int MaxBatch = 512;
    private const int MaxBody = 4 * 1024 * 1024;

    private readonly byte[] key = Encoding.UTF8.GetBytes(secret);
    private readonly ConcurrentDictionary<string, byte> seen = new(StringComparer.Ordinal);
    private readonly Channel<(byte[] Record, TaskCompletionSource Written)> waiting =
        Channel.CreateUnbounded<(byte[], TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private long batches;
    private long records;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/>, prints a line when ready, and runs until stdin closes; then prints its batch count.</summary>
    public async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/hooks/github", ReceiveAsync);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => WriteAsync(stop.Token));
        await app.StartAsync();
        Console.WriteLine($"baseline listening on {port}");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        waiting.Writer.Complete();
        await writer;
        Console.WriteLine($"baseline wrote {records} deliveries in {batches} batches");
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (request.ContentLength is not { } length || length > MaxBody)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = new byte[length];
        await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted);
        var signature = request.Headers["X-Hub-Signature-256"].ToString();
        if (!signature.StartsWith("sha256=", StringComparison.Ordinal) || signature.Length != 7 + 64
            || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(signature.AsSpan(7)), HMACSHA256.HashData(key, body)))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var id = request.Headers["X-GitHub-Delivery"].ToString();
        var eventName = request.Headers["X-GitHub-Event"].ToString();
        if (id.Length == 0 || eventName.Length == 0)
        {
            return Results.BadRequest();
        }

        if (!seen.TryAdd(id, 0))
        {
            return Results.Ok();
        }

        var header = Encoding.UTF8.GetBytes($"{id} {eventName} {body.Length}\n");
        var record = new byte[header.Length + body.Length + 1];
        header.CopyTo(record, 0);
        body.CopyTo(record, header.Length);
        record[^1] = (byte)'\n';
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await waiting.Writer.WriteAsync((record, written));
        await written.Task;
        return Results.Accepted();
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var output = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 20, FileOptions.None);
        var batch = new List<(byte[] Record, TaskCompletionSource Written)>(MaxBatch);
        while (await waiting.Reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            foreach (var (record, _) in batch)
            {
                output.Write(record);
            }

            output.Flush(flushToDisk: sync);
            batches++;
            records += batch.Count;
            foreach (var (_, written) in batch)
            {
                written.TrySetResult();
            }

            batch.Clear();
        }
    }
}

using System.Net;
using Forgeline.Core.Client;

namespace Forgeline.Worker;

/// <summary>
/// Calls to the server that must not be given up lightly: a build's results and its outcome. A failure the server may
/// get over (no answer, 5xx — 507 when its disk is full, 503 while it restarts — or 429) is retried with a doubling
/// pause; anything else (the lease is gone, the request was refused) is thrown at once.
/// </summary>
public static class ServerRetry
{
    /// <summary>The longest pause between tries.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(15);

    /// <summary>Whether the server may accept the same call later.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ForgelineApiException api => (int)api.Status >= 500 || api.Status == HttpStatusCode.TooManyRequests,
        // No answer, or an answer cut short; not any IOException: a local file that cannot be read is not the server's.
        HttpRequestException or HttpIOException => true,
        TaskCanceledException canceled => canceled.InnerException is TimeoutException,
        _ => false,
    };

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, fails for good, <paramref name="patience"/> is spent, or
    /// <paramref name="cancellationToken"/> is cancelled; <paramref name="onRetry"/> hears of each transient failure.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> call, TimeSpan patience, Func<Exception, TimeSpan, Task> onRetry, TimeProvider time, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + patience;
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested && time.GetUtcNow() + pause < giveUpAt)
            {
                await onRetry(e, pause);
                await Task.Delay(pause, time, cancellationToken);
                pause = TimeSpan.FromTicks(Math.Min(MaxPause.Ticks, pause.Ticks * 2));
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(
        Func<CancellationToken, Task> call, TimeSpan patience, Func<Exception, TimeSpan, Task> onRetry, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(async token => { await call(token); return true; }, patience, onRetry, time, cancellationToken);
}

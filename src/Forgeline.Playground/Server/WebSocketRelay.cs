using System.Net.WebSockets;

namespace Forgeline.Playground.Server;

/// <summary>
/// Relays two WebSockets message by message, each send awaited before the next receive (so a slow side slows the
/// other, and nothing piles up in between), until either side closes; the other then hears the same close.
/// </summary>
public static class WebSocketRelay
{
    /// <summary>Relays <paramref name="a"/> and <paramref name="b"/> until one closes or fails.</summary>
    public static async Task RunAsync(WebSocket a, WebSocket b, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forward = PumpAsync(a, b, stop.Token);
        var backward = PumpAsync(b, a, stop.Token);
        await Task.WhenAny(forward, backward);
        // The other direction may still carry the last messages of a close handshake.
        await Task.WhenAny(Task.WhenAll(forward, backward), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        await stop.CancelAsync();
        await Task.WhenAll(forward, backward).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task PumpAsync(WebSocket from, WebSocket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await from.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, cancellationToken);
                    }

                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                to.Abort();
            }
        }
    }
}

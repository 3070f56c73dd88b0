using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Forgeline.Core.Playground;
using Forgeline.Playground.Terminal;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Sessions;

/// <summary>The browser's side of a session: attaching over a WebSocket, the send and receive loops, and closing with a reason.</summary>
public sealed partial class PlaygroundSession
{
    /// <summary>
    /// Carries the terminal over <paramref name="socket"/> until the browser goes, the session ends, or another browser
    /// attaches (a reload). Binary messages are keystrokes; text messages are control messages (<c>{"type":"resize",
    /// "cols":N,"rows":M}</c>). Output and status messages go out one at a time.
    /// </summary>
    public async Task AttachAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var current = new Attachment(socket);
        Attachment? previous;
        byte[] screen;
        string? endReason;
        lock (gate)
        {
            endReason = endedBecause;
            previous = endReason is null ? attachment : null;
            if (endReason is null)
            {
                attachment = current;
                detachedAt = null;
            }

            screen = ReplayCopy();
        }

        previous?.Replace();
        try
        {
            if (endReason is not null)
            {
                await SendEndedAsync(socket, endReason, cancellationToken);
                return;
            }

            if (screen.Length > 0)
            {
                await socket.SendAsync(screen, WebSocketMessageType.Binary, true, cancellationToken);
            }

            // Neither loop is ever cancelled while the socket is healthy: a cancelled WebSocket call aborts the socket,
            // and the browser would then not hear why it was closed. The sending loop ends when its channel is completed
            // (the session ended, another window took over, or the browser went), the receiving loop with the close handshake.
            var sending = SendAsync(current, cancellationToken);
            var receiving = ReceiveAsync(current, cancellationToken);
            if (await Task.WhenAny(sending, receiving) == receiving)
            {
                current.Detach();
            }

            await sending.ContinueWith(_ => { }, TaskScheduler.Default);
            await CloseAsync(current);
            await receiving.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException or IOException or ObjectDisposedException)
        {
            // The browser went, or the session ended under it: either way this attachment is over.
        }
        finally
        {
            lock (gate)
            {
                if (attachment == current)
                {
                    attachment = null;
                    detachedAt = time.GetUtcNow();
                }
            }
        }
    }

    private async Task SendAsync(Attachment current, CancellationToken cancellationToken)
    {
        await foreach (var chunk in current.Outgoing.Reader.ReadAllAsync(cancellationToken))
        {
            await current.SendGate.WaitAsync(cancellationToken);
            try
            {
                await current.Socket.SendAsync(chunk, WebSocketMessageType.Binary, true, cancellationToken);
            }
            finally
            {
                current.SendGate.Release();
            }
        }
    }

    private async Task ReceiveAsync(Attachment current, CancellationToken cancellationToken)
    {
        var socket = current.Socket;
        var buffer = new byte[MaxMessageBytes];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    current.Close = (WebSocketCloseStatus.MessageTooBig, $"a message may be at most {MaxMessageBytes / 1024} KiB");
                    return;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                lock (gate)
                {
                    lastInput = time.GetUtcNow();
                }

                await input.Writer.WriteAsync(buffer.AsSpan(0, length).ToArray(), cancellationToken);
            }
            else if (TerminalControl.Parse(buffer.AsSpan(0, length)) is var control)
            {
                if (control.Problem is { } problem)
                {
                    await SendControlAsync(current, TerminalControl.Error(problem), cancellationToken);
                }
                else if (!ended.Task.IsCompleted)
                {
                    terminal.Resize(control.Columns, control.Rows);
                }
            }
        }
    }

    private static async Task SendControlAsync(Attachment current, string json, CancellationToken cancellationToken)
    {
        // A WebSocket sends one message at a time: control messages go between output messages.
        await current.SendGate.WaitAsync(cancellationToken);
        try
        {
            await current.Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            current.SendGate.Release();
        }
    }

    private static async Task CloseAsync(Attachment current)
    {
        var socket = current.Socket;
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (current.Ended is { } reason)
            {
                await SendEndedAsync(socket, reason, timeout.Token);
            }
            else if (current.Replaced)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(TerminalControl.Status("the session was opened in another window")), WebSocketMessageType.Text, true, timeout.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "attached elsewhere", timeout.Token);
            }
            else if (current.Close is { } close)
            {
                await socket.CloseOutputAsync(close.Status, close.Description, timeout.Token);
            }
            else
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static async Task SendEndedAsync(WebSocket socket, string reason, CancellationToken cancellationToken = default)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(TerminalControl.Ended(reason)), WebSocketMessageType.Text, true, cancellationToken);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session ended", cancellationToken);
    }

    private sealed class Attachment(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;

        // One message in flight at most: the reader thread waits for the browser.
        public Channel<byte[]> Outgoing { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });

        public CancellationTokenSource Stop { get; } = new();

        public SemaphoreSlim SendGate { get; } = new(1, 1);

        public string? Ended { get; set; }

        public bool Replaced { get; private set; }

        public (WebSocketCloseStatus Status, string Description)? Close { get; set; }

        public void Replace()
        {
            Replaced = true;
            Detach();
        }

        // Ends the sending loop after what it is sending, and frees the terminal's reader if it waits for this browser.
        public void Detach()
        {
            Outgoing.Writer.TryComplete();
            Stop.Cancel();
        }
    }
}

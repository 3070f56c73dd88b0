using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Forgeline.Testing.Playground;

/// <summary>
/// The browser's end of a playground terminal, as a test drives it: keystrokes out as binary messages, the screen's
/// bytes in (kept as text), control messages in (kept in order). Waits are on what arrived, never on time.
/// </summary>
public sealed class TerminalClient : IAsyncDisposable
{
    private readonly WebSocket socket;
    private readonly StringBuilder output = new();
    private readonly List<JsonElement> controls = [];
    private readonly Lock gate = new();
    private readonly Task receiving;
    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts reading <paramref name="socket"/>.</summary>
    public TerminalClient(WebSocket socket)
    {
        this.socket = socket;
        receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Everything the terminal printed so far.</summary>
    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The control messages so far (status, error, ended).</summary>
    public IReadOnlyList<JsonElement> Controls
    {
        get
        {
            lock (gate)
            {
                return controls.ToList();
            }
        }
    }

    /// <summary>Completes when the server closed the socket (or it broke).</summary>
    public Task Closed => receiving;

    /// <summary>How the server closed the socket.</summary>
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    /// <summary>Types <paramref name="keys"/>.</summary>
    public Task TypeAsync(string keys) => socket.SendAsync(Encoding.UTF8.GetBytes(keys), WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>Sends a control message as text.</summary>
    public Task SendTextAsync(string json) => socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Asks for a size.</summary>
    public Task ResizeAsync(int columns, int rows) => SendTextAsync($$"""{"type":"resize","cols":{{columns}},"rows":{{rows}}}""");

    /// <summary>Waits until the output contains <paramref name="text"/> after position <paramref name="from"/>; returns the position after it.</summary>
    public async Task<int> WaitForAsync(string text, int from = 0, TimeSpan? timeout = null)
    {
        var found = -1;
        await WaitUntilAsync(() =>
        {
            var all = output.ToString();
            found = from <= all.Length ? all.IndexOf(text, from, StringComparison.Ordinal) : -1;
            return found >= 0;
        }, timeout, $"'{text}' on the terminal");
        return found + text.Length;
    }

    /// <summary>Waits for a control message of <paramref name="type"/>; returns it.</summary>
    public async Task<JsonElement> WaitForControlAsync(string type, TimeSpan? timeout = null)
    {
        JsonElement found = default;
        await WaitUntilAsync(() =>
        {
            var match = controls.FirstOrDefault(c => c.GetProperty("type").GetString() == type);
            found = match;
            return match.ValueKind == JsonValueKind.Object;
        }, timeout, $"a '{type}' message");
        return found;
    }

    /// <summary>Closes the socket as a browser tab would.</summary>
    public async Task CloseAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "tab closed", CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        socket.Abort();
        await receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        socket.Dispose();
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout, string what)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (condition())
                {
                    return;
                }

                if (receiving.IsCompleted)
                {
                    throw new InvalidOperationException(
                        $"the socket closed ({socket.CloseStatus} {socket.CloseStatusDescription}) before {what}; control messages: {string.Join(" ", controls.Select(c => c.GetRawText()))}; the terminal showed:\n{output}");
                }

                next = changed.Task;
            }

            try
            {
                await Task.WhenAny(next, receiving).WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {what} in time; the terminal showed:\n{Output}");
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                lock (gate)
                {
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        controls.Add(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                    }
                    else
                    {
                        var bytes = message.ToArray();
                        var chars = new char[decoder.GetCharCount(bytes, flush: false)];
                        decoder.GetChars(bytes, chars, flush: false);
                        output.Append(chars);
                    }

                    Signal();
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            lock (gate)
            {
                Signal();
            }
        }
    }

    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}

/// <summary>Opens a session's terminal the way the page does: a WebSocket to the path the server gave.</summary>
public static class PlaygroundTerminal
{
    /// <summary>Connects to <paramref name="terminalPath"/> on <paramref name="server"/>, with a token or a cookie-less anonymous socket.</summary>
    public static async Task<TerminalClient> ConnectAsync(Uri server, string terminalPath, string? token = null, string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var address = new UriBuilder(new Uri(server, terminalPath)) { Scheme = server.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        return new TerminalClient(socket);
    }
}

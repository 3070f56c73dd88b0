using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Forgeline.Core.Client;
using Forgeline.Core.Playground;

/// <summary>One session started as the page starts it, with what it took: the start request, then its terminal's WebSocket until the prompt.</summary>
/// <param name="Session">The session as the start request answered it.</param>
/// <param name="Socket">Its terminal, still open (an idle learner).</param>
/// <param name="FirstByte">From just before the start request to the first terminal byte of any kind.</param>
/// <param name="Prompt">From just before the start request to the binary frame that completes the prompt's <c>$ </c>.</param>
/// <param name="Screen">What the terminal showed up to the prompt.</param>
internal sealed record SessionStart(PlaygroundSessionDto Session, ClientWebSocket Socket, TimeSpan FirstByte, TimeSpan Prompt, string Screen)
{
    /// <summary>POSTs the start, connects to the terminal and reads until the prompt.</summary>
    public static async Task<SessionStart> RunAsync(ForgelineClient client, Uri server, string environment, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var session = await client.StartPlaygroundSessionAsync(environment, cancellationToken);
        var socket = new ClientWebSocket();
        var address = new UriBuilder(new Uri(server, session.Terminal!)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(address, cancellationToken);
        TimeSpan? firstByte = null;
        var screen = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[64 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"session {session.Id}: the terminal closed before a prompt ({socket.CloseStatusDescription}); it showed:\n{screen}");
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                var control = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (control.Contains("\"error\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"session {session.Id}: {control}");
                }

                continue;
            }

            firstByte ??= clock.Elapsed;
            screen.Append(chars, 0, decoder.GetChars(buffer, 0, result.Count, chars, 0));
            if (screen.ToString().Contains("$ ", StringComparison.Ordinal))
            {
                var prompt = clock.Elapsed;
                return new SessionStart(session, socket, firstByte.Value, prompt, screen.ToString());
            }
        }
    }
}

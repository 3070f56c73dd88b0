using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forgeline.Images.Vm;

/// <summary>QEMU's machine protocol (QMP) on a unix socket: JSON commands, one per line, answered by <c>return</c> or <c>error</c>; events in between are skipped.</summary>
public sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly StreamReader reader;
    private readonly Stream stream;

    private QmpClient(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: false);
        reader = new StreamReader(stream, Encoding.UTF8);
    }

    /// <summary>Connects to the QMP socket at <paramref name="path"/> and leaves capabilities negotiation behind.</summary>
    public static async Task<QmpClient> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new QmpClient(socket);
        _ = await client.ReadAsync(cancellationToken) ?? throw new QmpException("QEMU closed its QMP socket before greeting");
        await client.ExecuteAsync("qmp_capabilities", null, cancellationToken);
        return client;
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/> and returns its <c>return</c> value; an <c>error</c> is a <see cref="QmpException"/>.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToJsonString() + "\n"), cancellationToken);
        while (await ReadAsync(cancellationToken) is { } answer)
        {
            if (answer["error"] is { } error)
            {
                throw new QmpException($"QMP {command}: {error["desc"]?.GetValue<string>() ?? error.ToJsonString()}");
            }

            if (answer.AsObject().TryGetPropertyValue("return", out var value))
            {
                return value;
            }
        }

        throw new QmpException($"QEMU closed its QMP socket during {command}");
    }

    /// <summary>Writes the VGA console as a PNG to <paramref name="path"/> (a path QEMU sees).</summary>
    public Task ScreendumpAsync(string path, CancellationToken cancellationToken) =>
        ExecuteAsync("screendump", new JsonObject { ["filename"] = path, ["format"] = "png" }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync();
        socket.Dispose();
    }

    private async Task<JsonNode?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        return line is null ? null : JsonNode.Parse(line) ?? throw new QmpException($"QMP sent '{line}'");
    }
}

/// <summary>QEMU refused a QMP command or went away.</summary>
public sealed class QmpException(string message) : Exception(message);

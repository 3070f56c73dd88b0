using System.Net.WebSockets;
using Forgeline.Core.Playground;
using Forgeline.Playground.Hosting;

namespace Forgeline.Playground.Server;

/// <summary>The playground host inside <c>forgeline server</c>: no HTTP between them, the browser's socket goes straight to the terminal.</summary>
public sealed class LocalHostClient(string name, PlaygroundHost host) : IPlaygroundHostClient
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public int Capacity => host.Capacity;

    /// <inheritdoc />
    public IReadOnlyList<HostSessionDto> Sessions => host.List();

    /// <inheritdoc />
    public Task StartAsync(HostStartRequest request, IProgress<string> progress, CancellationToken cancellationToken) =>
        host.StartAsync(request, progress, cancellationToken);

    /// <inheritdoc />
    public Task EndAsync(string id, string reason, CancellationToken cancellationToken) => host.EndAsync(id, reason);

    /// <inheritdoc />
    public Task AttachAsync(string id, WebSocket browser, CancellationToken cancellationToken) => host.AttachAsync(id, browser, cancellationToken);
}

using System.Net.WebSockets;
using Forgeline.Core.Playground;

namespace Forgeline.Playground.Server;

/// <summary>How the server reaches one playground host: the one inside the server, or a <c>forgeline playground-host</c> over HTTP.</summary>
public interface IPlaygroundHostClient
{
    /// <summary>The host's name.</summary>
    string Name { get; }

    /// <summary>How many sessions it runs at most.</summary>
    int Capacity { get; }

    /// <summary>The sessions it runs, as last known (with their use of CPU and memory).</summary>
    IReadOnlyList<HostSessionDto> Sessions { get; }

    /// <summary>Starts a session; throws with the host's message when it cannot.</summary>
    Task StartAsync(HostStartRequest request, IProgress<string> progress, CancellationToken cancellationToken);

    /// <summary>Ends a session.</summary>
    Task EndAsync(string id, string reason, CancellationToken cancellationToken);

    /// <summary>Carries a browser's socket to the session's terminal until either side goes.</summary>
    Task AttachAsync(string id, WebSocket browser, CancellationToken cancellationToken);
}

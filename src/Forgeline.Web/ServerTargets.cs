namespace Forgeline.Web;

/// <summary>The parts of <c>forgeline server</c> a process runs (<c>--targets</c>), so each can be deployed and scaled on its own.</summary>
[Flags]
public enum ServerTargets
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>The build farm's HTTP API (uploads, builds, the worker protocol) and its pages.</summary>
    Api = 1,

    /// <summary>The lease reaper: queues builds of lost workers again.</summary>
    Scheduler = 2,

    /// <summary>Keys and signing (may run alone, in its own locked-down deployment, with its own data directory).</summary>
    Signer = 4,

    /// <summary>The embedded build worker.</summary>
    Worker = 8,

    /// <summary>The review bot: forge webhooks and the plugins that act on them.</summary>
    Bot = 16,

    /// <summary>The message center's delivery: webhooks from the outbox, and RabbitMQ publishing with a broker.</summary>
    Events = 32,

    /// <summary>The embedded playground host: browser shells on this machine (the api target places sessions on it and on <c>forgeline playground-host</c> processes).</summary>
    Playground = 64,

    /// <summary>Everything: the default.</summary>
    All = Api | Scheduler | Signer | Worker | Bot | Events | Playground,
}

/// <summary>Parses <c>--targets</c>.</summary>
public static class ServerTargetNames
{
    /// <summary>Parses "api,scheduler" style lists ("all" for everything); null with a message for unknown names.</summary>
    public static (ServerTargets Targets, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all")
        {
            return (ServerTargets.All, null);
        }

        var targets = ServerTargets.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<ServerTargets>(name, ignoreCase: true, out var target) || target is ServerTargets.None or ServerTargets.All)
            {
                return (ServerTargets.None, $"unknown target '{name}'; use some of api, scheduler, signer, worker, bot, events, playground (or all)");
            }

            targets |= target;
        }

        return targets.HasFlag(ServerTargets.Worker) && !targets.HasFlag(ServerTargets.Api)
            ? (ServerTargets.None, "the embedded worker needs the api target in the same process; run 'forgeline worker' elsewhere instead")
            : targets.HasFlag(ServerTargets.Playground) && !targets.HasFlag(ServerTargets.Api)
            ? (ServerTargets.None, "the embedded playground host needs the api target in the same process; run 'forgeline playground-host' elsewhere instead")
            : (targets, null);
    }
}

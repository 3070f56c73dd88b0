namespace Forgeline.Playground.Server;

/// <summary>The server's playground settings (<c>Forgeline:Playground</c>).</summary>
public sealed class PlaygroundOptions
{
    /// <summary>The settings section.</summary>
    public const string Section = "Forgeline:Playground";

    /// <summary>Sessions one person may have at once, queued ones included (anonymous people are counted by address).</summary>
    public int SessionsPerUser { get; set; } = 2;

    /// <summary>How many sessions may wait for room; beyond that a start is refused (503).</summary>
    public int MaxQueue { get; set; } = 50;

    /// <summary>Whether <c>forgeline server</c> runs a playground host itself (the default); off when only <c>forgeline playground-host</c> processes run sessions.</summary>
    public bool EmbeddedHost { get; set; } = true;

    /// <summary>A remote host that has not reported for this long is taken as gone, with its sessions.</summary>
    public int HostTimeoutSeconds { get; set; } = 30;

    /// <summary>How long a session that was asked for waits for its browser (queued or starting) before it is dropped.</summary>
    public int AttachSeconds { get; set; } = 60;
}

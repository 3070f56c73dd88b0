namespace Forgeline.Core;

/// <summary>Where a server keeps its state under its data directory (<c>FORGELINE_DATA</c> or <c>--data</c>).</summary>
/// <param name="Root">The data directory.</param>
public sealed record ForgelinePaths(string Root)
{
    /// <summary>The SQLite database.</summary>
    public string Database => Path.Combine(Root, "forgeline.db");

    /// <summary>The content-addressed artifact store.</summary>
    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>Live build logs.</summary>
    public string Logs => Path.Combine(Root, "logs");

    /// <summary>Published repositories of projects: <c>repos/PROJECT/CHROOT/</c>.</summary>
    public string Repositories => Path.Combine(Root, "repos");

    /// <summary>The first admin token, mode 0600.</summary>
    public string AdminToken => Path.Combine(Root, "admin-token");

    /// <summary>Data-protection keys that seal browser session and sign-in cookies (mode 0700), so sessions survive a restart.</summary>
    public string SessionKeys => Path.Combine(Root, "session-keys");

    /// <summary>Work directories of the embedded worker.</summary>
    public string Work => Path.Combine(Root, "work");

    /// <summary>The playground host's images, kept homes and mount point.</summary>
    public string Playground => Path.Combine(Root, "playground");

    /// <summary>The data directory from <c>FORGELINE_DATA</c>, else <c>./.data</c>… resolved to a full path.</summary>
    public static ForgelinePaths FromEnvironment(string? explicitPath) =>
        new(Path.GetFullPath(explicitPath ?? Environment.GetEnvironmentVariable("FORGELINE_DATA") ?? Path.Combine(Environment.CurrentDirectory, ".data")));
}

using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker;

/// <summary>
/// A ccache directory shared by the builds of one worker, mounted read-write into the sandbox at
/// <see cref="SandboxPath"/> for rpmbuild. Builds reach ccache through PATH: Debian's ccache package puts
/// <c>gcc</c>, <c>cc</c>, <c>x86_64-linux-gnu-gcc</c> (rpm's <c>%{__cc}</c>) and friends in <see cref="WrapperDirectory"/>.
/// </summary>
/// <remarks>
/// Every build on the worker writes to the same cache, so a malicious package could plant wrong objects for another
/// package's build. Farms that build untrusted packages next to trusted ones run workers with <c>--no-ccache</c>.
/// </remarks>
public sealed class CompilerCache(string directory)
{
    /// <summary>Where Debian's ccache package puts its compiler wrappers.</summary>
    public const string WrapperDirectory = "/usr/lib/ccache";

    /// <summary>Where builds see the cache.</summary>
    public const string SandboxPath = "/ccache";

    /// <summary>The per-build statistics log, in the build's work directory.</summary>
    public const string StatsLogName = "ccache-stats.log";

    /// <summary>The cache directory on the host.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The mount that gives builds the cache.</summary>
    public SandboxBind Bind => new(Directory, SandboxPath);

    /// <summary>
    /// Variables for rpmbuild: the wrappers first on PATH; paths under /build hashed relative and the working
    /// directory left out of the hash, so the same sources hit from another build's directory.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = $"{WrapperDirectory}:/usr/bin:/bin:/usr/sbin:/sbin",
        ["CCACHE_DIR"] = SandboxPath,
        ["CCACHE_BASEDIR"] = "/build",
        ["CCACHE_NOHASHDIR"] = "1",
        ["CCACHE_STATSLOG"] = "/build/" + StatsLogName,
    };

    /// <summary>Whether this host has Debian's ccache wrappers.</summary>
    public static bool IsInstalled(string wrapperDirectory = WrapperDirectory) => File.Exists(Path.Combine(wrapperDirectory, "gcc"));

    /// <summary>
    /// The cache a worker with <paramref name="options"/> uses in build environment <paramref name="environment"/>
    /// (default <c>&lt;work-dir&gt;/ccache-&lt;environment&gt;</c>), or null when it is turned off or ccache is not
    /// installed; <c>Status</c> says which, for the worker's start-up log.
    /// </summary>
    public static (CompilerCache? Cache, string Status) ForWorker(WorkerOptions options, string environment, string wrapperDirectory = WrapperDirectory)
    {
        if (!options.Ccache)
        {
            return (null, "ccache off (--no-ccache)");
        }

        if (!IsInstalled(wrapperDirectory))
        {
            return (null, $"ccache not used: {wrapperDirectory}/gcc is missing (install the Debian package ccache)");
        }

        var cache = new CompilerCache(options.CcacheDirectory ?? Path.Combine(options.WorkDirectory, $"ccache-{environment}"));
        return (cache, $"ccache in {cache.Directory}");
    }

    /// <summary>What the cache did during the build in <paramref name="workDirectory"/>; null when no compiler ran.</summary>
    public static CompilerCacheStats? ReadStats(string workDirectory)
    {
        // The build could have replaced the log with anything. A symlink is not followed; a FIFO or socket has length 0
        // (opening a FIFO with no writer would block for ever); a huge file is read only so far.
        var info = new FileInfo(Path.Combine(workDirectory, StatsLogName));
        if (!info.Exists || info.LinkTarget is not null || info.Length == 0)
        {
            return null;
        }

        try
        {
            using var file = info.OpenRead();
            var bytes = new byte[(int)Math.Min(info.Length, MaxStatsLogBytes)];
            var read = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return CompilerCacheStats.Parse(System.Text.Encoding.UTF8.GetString(bytes, 0, read).Split('\n'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Statistics are a courtesy: never let them hide how the build itself ended.
            return null;
        }
    }

    private const int MaxStatsLogBytes = 16 * 1024 * 1024;
}

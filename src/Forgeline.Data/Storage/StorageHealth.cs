using Forgeline.Core;
using Microsoft.Extensions.Options;

namespace Forgeline.Data.Storage;

/// <summary>
/// The server's stores on disk, their free space against <see cref="StorageOptions.MinFreeMegabytes"/>, and when one last
/// ran out of space. Readiness (<c>/readyz</c>), the 507 answer and the lease reaper share it.
/// </summary>
public sealed class StorageHealth(ForgelinePaths paths, IOptions<StorageOptions> options, TimeProvider time)
{
    private long lastFaultTicks;

    /// <summary>A store, by the name users see (never its path: answers are public) and its directory.</summary>
    public sealed record Store(string Name, string Directory);

    /// <summary>A store short of space.</summary>
    public sealed record Shortage(string Store, long FreeBytes, long FloorBytes)
    {
        /// <inheritdoc />
        public override string ToString() => FreeBytes < 0
            ? $"{Store}: free space unknown"
            : $"{Store}: {FreeBytes / (1024 * 1024)} MiB free, below the floor of {FloorBytes / (1024 * 1024)} MiB";
    }

    /// <summary>The stores checked, most specific first (the artifact store may be a mount of its own under the data directory).</summary>
    public IReadOnlyList<Store> Stores { get; } =
    [
        new("artifact store", paths.Artifacts),
        new("build log store", paths.Logs),
        new("repository store", paths.Repositories),
        new("data directory", paths.Root),
    ];

    /// <summary>The last time something on this server ran out of space, or null.</summary>
    public DateTime? LastFaultAt => Interlocked.Read(ref lastFaultTicks) is var ticks and > 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;

    /// <summary>Remembers that a write failed for want of space (for the lease reaper: such a failure is not the worker's).</summary>
    public void NoteFault() => Interlocked.Exchange(ref lastFaultTicks, time.GetUtcNow().UtcDateTime.Ticks);

    /// <summary>Whether a write ran out of space at or after <paramref name="since"/>.</summary>
    public bool FaultedSince(DateTime since) => LastFaultAt is { } at && at >= since;

    /// <summary>
    /// The data directory and the artifact store where below the floor, each filesystem once. Being short is not a fault
    /// (writes still succeed); <see cref="NoteFault"/> is for writes that failed.
    /// </summary>
    public IReadOnlyList<Shortage> Shortages()
    {
        var floor = options.Value.MinFreeMegabytes * 1024 * 1024;
        var shortages = new List<Shortage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in new[] { Stores[^1], Stores[0] })
        {
            long free;
            string volume;
            try
            {
                (free, volume) = (new DriveInfo(store.Directory).AvailableFreeSpace, MountOf(store.Directory));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                (free, volume) = (-1, store.Directory);
            }

            if ((free < 0 || free < floor) && seen.Add(volume))
            {
                shortages.Add(new Shortage(store.Name, free, floor));
            }
        }

        return shortages;
    }

    /// <summary>
    /// The mount point <paramref name="directory"/> lies on (the longest one above it, after following a link the
    /// directory itself is, as an artifact store on another volume may be); DriveInfo of a path names the path, not its
    /// filesystem.
    /// </summary>
    private static string MountOf(string directory)
    {
        var path = Path.TrimEndingDirectorySeparator(Directory.ResolveLinkTarget(directory, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(directory));
        return DriveInfo.GetDrives()
            .Select(d => Path.TrimEndingDirectorySeparator(d.Name))
            .Where(mount => mount == "/" || path == mount || path.StartsWith(mount + "/", StringComparison.Ordinal))
            .MaxBy(mount => mount.Length) ?? path;
    }

    /// <summary>The store a full-disk error names (its message holds the file's path), else the fullest store, else "disk".</summary>
    public string StoreOf(string ioMessage)
    {
        var named = Stores.FirstOrDefault(s => ioMessage.Contains(Path.TrimEndingDirectorySeparator(s.Directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (named is not null)
        {
            return named.Name;
        }

        var shortages = Shortages();
        return shortages.Count > 0 ? shortages[0].Store : "disk";
    }
}

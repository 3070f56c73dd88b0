using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Worker.Roots;

/// <summary>
/// A worker's cache of build roots, one directory per target under <see cref="Directory"/>:
/// <c>bases/KEY/tree</c> the base roots (the target's base packages installed once per metadata digest, then only
/// read: every build lays its own overlay on top), <c>layers/KEY/tree</c> the BuildRequires layers (what one set of
/// BuildRequires added over a base, for the same metadata: the next build with the same set installs nothing), and
/// <c>dnf/</c> dnf's metadata and downloaded RPMs, pruned to a size limit, oldest first.
/// </summary>
/// <remarks>
/// An entry is installed into <c>.partial-GUID</c> and renamed to its key only when complete: a crash or a
/// failed install leaves a partial directory that nothing reads and the next start removes. One worker process owns
/// the directory (a lock file says so); within it, one install per target runs at a time, since they share dnf's cache.
/// </remarks>
public sealed class RootCache : IDisposable
{
    private const string PartialPrefix = ".partial-";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> targetLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> inUse = new(StringComparer.Ordinal);
    private readonly FileStream ownership;
    private readonly List<Task> background = [];
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    /// <summary>Opens (and creates) the cache in <paramref name="directory"/>; throws <see cref="IOException"/> when another worker process owns it.</summary>
    /// <param name="directory">The cache directory.</param>
    /// <param name="packageLimitBytes">How many bytes of downloaded RPMs each target keeps.</param>
    public RootCache(string directory, long packageLimitBytes)
    {
        Directory = Path.GetFullPath(directory);
        PackageLimitBytes = packageLimitBytes;
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            ownership = new FileStream(Path.Combine(Directory, "owner.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the build root cache {Directory} is in use by another worker process; give each worker its own --root-cache", e);
        }

        var targets = Path.Combine(Directory, "targets");
        if (System.IO.Directory.Exists(targets))
        {
            foreach (var partial in System.IO.Directory.EnumerateDirectories(targets)
                         .SelectMany(t => new[] { Path.Combine(t, "bases"), Path.Combine(t, "layers") })
                         .SelectMany(k => System.IO.Directory.Exists(k) ? System.IO.Directory.EnumerateDirectories(k, PartialPrefix + "*") : []).ToList())
            {
                DeleteTree(partial);
            }
        }
    }

    /// <summary>The cache directory.</summary>
    public string Directory { get; }

    /// <summary>How many bytes of downloaded RPMs each target keeps.</summary>
    public long PackageLimitBytes { get; }

    /// <summary>The directory of <paramref name="target"/>: its name made safe for a path, plus a digest so two names never meet.</summary>
    public string TargetDirectory(string target)
    {
        var safe = new string(target.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)))[..8];
        return Path.Combine(Directory, "targets", $"{safe}-{digest}");
    }

    /// <summary>dnf's cache directory (metadata and downloaded RPMs) of <paramref name="target"/>.</summary>
    public string DnfCache(string target) => Path.Combine(TargetDirectory(target), "dnf");

    /// <summary>Waits until no other install of <paramref name="target"/> runs; dispose the result to let the next one in.</summary>
    public async Task<IDisposable> LockTargetAsync(string target, CancellationToken cancellationToken)
    {
        var gate = targetLocks.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Releaser(() => gate.Release());
    }

    /// <summary>
    /// The base root <paramref name="key"/> of <paramref name="target"/>, installed by <paramref name="install"/> (given an
    /// empty entry directory; the root goes into its <c>tree</c>) when it is not cached yet. Hold
    /// <see cref="LockTargetAsync"/> while calling. A new base replaces the target's older ones (their metadata is gone).
    /// </summary>
    public Task<CachedEntry> GetBaseAsync(string target, string key, Func<CachedEntry, Task> install) =>
        GetAsync(target, "bases", key, install, keep: 1);

    /// <summary>
    /// The BuildRequires layer <paramref name="key"/> of <paramref name="target"/>: the upper layer of an install over a
    /// base, kept so that the same BuildRequires on the same metadata are never installed twice. Installed by
    /// <paramref name="install"/> when missing; the least recently used beyond <see cref="MaxLayers"/> are removed.
    /// </summary>
    public Task<CachedEntry> GetLayerAsync(string target, string key, Func<CachedEntry, Task> install) =>
        GetAsync(target, "layers", key, install, keep: MaxLayers);

    /// <summary>Whether the base root <paramref name="key"/> of <paramref name="target"/> is cached (complete).</summary>
    public bool HasBase(string target, string key) => System.IO.Directory.Exists(Path.Combine(TargetDirectory(target), "bases", key));

    /// <summary>
    /// Installs the base root <paramref name="key"/> of <paramref name="target"/> with <paramref name="install"/> in the
    /// background, holding <paramref name="targetLock"/> (acquired by the caller and handed over) until it is cached or
    /// has failed, so the target's next build waits for it. Stopped when the cache is disposed.
    /// </summary>
    public void FillBaseInBackground(string target, string key, IDisposable targetLock, Func<CachedEntry, CancellationToken, Task> install)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                using var entry = await GetBaseAsync(target, key, e => install(e, stopping.Token));
            }
            catch (Exception e)
            {
                BackgroundFailure = $"the base root of {target} could not be cached: {e.Message}";
            }
            finally
            {
                targetLock.Dispose();
            }
        });
        lock (background)
        {
            background.RemoveAll(t => t.IsCompleted);
            background.Add(task);
        }
    }

    /// <summary>The last failure of a base root installed in the background (the next build of the target installs its own root again); null for none.</summary>
    public string? BackgroundFailure { get; private set; }

    /// <summary>Completes when no base root is being installed in the background.</summary>
    public Task WhenIdleAsync()
    {
        lock (background)
        {
            return Task.WhenAll(background);
        }
    }

    /// <summary>How many BuildRequires layers each target keeps.</summary>
    public int MaxLayers { get; init; } = 100;

    private async Task<CachedEntry> GetAsync(string target, string kind, string key, Func<CachedEntry, Task> install, int keep)
    {
        var entries = Path.Combine(TargetDirectory(target), kind);
        var final = Path.Combine(entries, key);
        var cached = System.IO.Directory.Exists(final);
        if (cached)
        {
            // Marks it recently used, for the layers' eviction.
            System.IO.Directory.SetLastWriteTimeUtc(final, DateTime.UtcNow);
        }
        else
        {
            var partial = Path.Combine(entries, PartialPrefix + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Path.Combine(partial, "tree"));
            System.IO.Directory.CreateDirectory(Path.Combine(partial, "work"));
            try
            {
                await install(new CachedEntry(partial, false, new Releaser(() => { })));
                if (System.IO.Directory.Exists(Path.Combine(partial, "work")))
                {
                    // overlayfs's work directory is of no use once unmounted.
                    System.IO.Directory.Delete(Path.Combine(partial, "work"), recursive: true);
                }

                System.IO.Directory.Move(partial, final);
            }
            catch
            {
                DeleteTree(partial);
                throw;
            }
        }

        inUse.AddOrUpdate(final, 1, (_, n) => n + 1);
        if (!cached)
        {
            // Oldest first beyond the limit; those still in use stay until the next time.
            var others = System.IO.Directory.EnumerateDirectories(entries)
                .Where(d => d != final && !Path.GetFileName(d).StartsWith(PartialPrefix, StringComparison.Ordinal))
                .OrderByDescending(System.IO.Directory.GetLastWriteTimeUtc).Skip(keep - 1).ToList();
            foreach (var old in others.Where(o => !inUse.TryGetValue(o, out var users) || users == 0))
            {
                DeleteTree(old);
            }
        }

        return new CachedEntry(final, cached, new Releaser(() => inUse.AddOrUpdate(final, 0, (_, n) => n - 1)));
    }

    /// <summary>Removes <paramref name="target"/>'s oldest downloaded RPMs until they take at most <see cref="PackageLimitBytes"/>; returns the bytes removed.</summary>
    public long PrunePackages(string target)
    {
        var cache = DnfCache(target);
        if (!System.IO.Directory.Exists(cache))
        {
            return 0;
        }

        var rpms = new DirectoryInfo(cache).EnumerateFiles("*.rpm", SearchOption.AllDirectories).OrderBy(f => f.LastWriteTimeUtc).ToList();
        var total = rpms.Sum(f => f.Length);
        long removed = 0;
        foreach (var rpm in rpms)
        {
            if (total - removed <= PackageLimitBytes)
            {
                break;
            }

            removed += rpm.Length;
            rpm.Delete();
        }

        return removed;
    }

    /// <summary>Bytes the cache holds for <paramref name="target"/>: base roots and dnf's cache.</summary>
    public long DiskUse(string target)
    {
        var directory = new DirectoryInfo(TargetDirectory(target));
        return directory.Exists ? directory.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }).Sum(f => f.LinkTarget is null ? f.Length : 0) : 0;
    }

    /// <summary>Stops background installs (their partial entries are removed) and gives the directory up.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        stopping.Cancel();
        if (WhenIdleAsync().Wait(TimeSpan.FromSeconds(30)))
        {
            stopping.Dispose();
        }

        ownership.Dispose();
    }

    private static void DeleteTree(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which removes partial trees; an old base is only ever looked up by its key.
        }
    }

    private sealed class Releaser(Action release) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                release();
            }
        }
    }
}

/// <summary>A base root or BuildRequires layer in the cache, kept while this is not disposed.</summary>
/// <param name="Directory">The entry's directory: the tree, and the package list of the root it completes.</param>
/// <param name="WasCached">Whether it was there already (false: installed just now).</param>
/// <param name="release">Lets the cache remove it once it is outdated.</param>
public sealed class CachedEntry(string Directory, bool WasCached, IDisposable release) : IDisposable
{
    /// <summary>The entry's directory.</summary>
    public string Directory { get; } = Directory;

    /// <summary>The root or layer itself; only read once cached.</summary>
    public string Tree => Path.Combine(Directory, "tree");

    /// <summary>overlayfs's work directory while a layer is installed (removed before it is cached).</summary>
    public string Work => Path.Combine(Directory, "work");

    /// <summary>The sorted package list of the root this entry completes (base, or base and layer).</summary>
    public string Packages => Path.Combine(Directory, "packages.txt");

    /// <summary>Whether it was there already (false: installed just now).</summary>
    public bool WasCached { get; } = WasCached;

    /// <inheritdoc />
    public void Dispose() => release.Dispose();
}

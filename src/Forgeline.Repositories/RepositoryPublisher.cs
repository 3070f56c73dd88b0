using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Repositories;

/// <summary>
/// Publishes a signed dnf repository into one directory, atomically: packages go into a pool by content, createrepo_c
/// writes a new metadata generation beside the served one, repomd.xml is signed, and one rename(2) of the
/// <c>repodata</c> symlink switches readers over. A failure or a crash at any point leaves the previous repository
/// served as it was; the next publish clears what was left. Publishes of the same directory never interleave, also
/// across processes. See "Repositories on disk" in docs/architecture.md.
/// </summary>
public sealed partial class RepositoryPublisher
{
    private const string ArmorHeader = "-----BEGIN PGP SIGNATURE-----";

    private readonly RepositoryLayout layout;
    private readonly PackagePool pool;
    private readonly RepositoryPublisherOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>A publisher of the repository in <paramref name="root"/> (created on the first publish).</summary>
    public RepositoryPublisher(string root, RepositoryPublisherOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        layout = new RepositoryLayout(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        pool = new PackagePool(layout);
        this.options = options ?? new RepositoryPublisherOptions();
        if (this.options.GenerationsKept < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), this.options.GenerationsKept,
                "GenerationsKept must be at least 2: a dnf that fetched the previous repomd.xml must still find the files it names");
        }

        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The repository directory, as an absolute path.</summary>
    public string Root => layout.Root;

    /// <summary>Test hook: runs at each <see cref="PublishStage"/>; fault-injection tests throw from it to play a crash there.</summary>
    internal Func<PublishStage, Task>? StageHook { get; set; }

    /// <summary>
    /// Makes the repository hold exactly <paramref name="packages"/> (the complete content, not a change): new packages
    /// are copied in and verified, packages not listed leave it. <paramref name="signRepomd"/> gets the new repomd.xml
    /// and returns its ASCII-armored detached OpenPGP signature, published as <c>repodata/repomd.xml.asc</c>. Waits
    /// while another publish of the same directory runs. Throws <see cref="RepositoryPublishException"/> when a package
    /// does not match its digest or createrepo_c fails; the repository then still serves what it served before.
    /// </summary>
    public async Task<PublishResult> PublishAsync(
        IReadOnlyCollection<RepositoryPackage> packages, Func<byte[], CancellationToken, Task<string>> signRepomd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentNullException.ThrowIfNull(signRepomd);
        var desired = PackageSet.Check(packages);
        var started = time.GetTimestamp();
        Directory.CreateDirectory(Root);
        await using var held = await RepositoryLock.AcquireAsync(layout.LockFile, WaitingForLockAsync, time, cancellationToken);

        var current = Recover();
        // The generations that stay readable beside the new one: their repomd.xml files and packages remain reachable.
        var older = layout.Generations().Where(g => g <= current).TakeLast(options.GenerationsKept - 1).ToList();
        var previous = current is long c ? layout.ReadManifest(c) : [];
        var next = (current ?? 0) + 1;

        var made = layout.NewStagingDirectory();
        byte[] repomd;
        try
        {
            Directory.CreateDirectory(made);
            RepositoryLayout.WriteManifest(made, desired.Keys);
            await pool.FillAsync(desired, previous, cancellationToken);
            await StageAsync(PublishStage.PoolFilled);

            var updateFrom = current is long from && PackageSet.CanReuseMetadata(previous, desired.Keys) ? layout.GenerationDirectory(from) : null;
            var warnings = await CreaterepoProcess.RunAsync(options, Root, made, RepositoryLayout.ManifestIn(made), updateFrom, cancellationToken);
            var repodata = Path.Combine(made, RepositoryLayout.RepodataName);
            var listed = RepomdFile.Load(Path.Combine(repodata, "repomd.xml")).PrimaryPackageCount(repodata);
            if (listed != desired.Count)
            {
                throw new RepositoryPublishException(
                    $"createrepo_c listed {listed} of the {desired.Count} packages, so some are not readable RPMs; the repository was left as it was. " +
                    $"Its warnings name them: {CreaterepoProcess.Tail(warnings)}");
            }

            await StageAsync(PublishStage.MetadataGenerated);

            repomd = await File.ReadAllBytesAsync(Path.Combine(repodata, "repomd.xml"), cancellationToken);
            var signature = await signRepomd(repomd, cancellationToken);
            if (signature is null || !signature.TrimStart().StartsWith(ArmorHeader, StringComparison.Ordinal))
            {
                throw new RepositoryPublishException(
                    $"the repomd.xml signer returned no ASCII-armored OpenPGP signature (it must start with {ArmorHeader}); check the repository's signing key. The repository was left as it was");
            }

            await File.WriteAllTextAsync(Path.Combine(repodata, "repomd.xml.asc"), signature, cancellationToken);
            CarryOver(repodata, older);
            Directory.Move(made, layout.GenerationDirectory(next));
            made = layout.GenerationDirectory(next);
            // Pool files, metadata, signature and manifest must all be on disk before the link may point at them.
            LinuxFiles.SyncFileSystem(Root);
            await StageAsync(PublishStage.Signed);
        }
        catch
        {
            // Every generation on disk may still be read (the served one carries the metadata of older ones), so the
            // pool files any of them lists stay.
            Discard(made, layout.Generations().Where(g => g <= current));
            throw;
        }

        layout.Switch(next);
        await StageAsync(PublishStage.Switched);
        var known = new Dictionary<long, IEnumerable<string>> { [next] = desired.Keys };
        if (current is long served)
        {
            known[served] = previous;
        }

        var cleanupProblem = await PruneAsync(next, known);

        var result = new PublishResult(
            next,
            Added: desired.Keys.Count(p => !previous.Contains(p)),
            Removed: previous.Count(p => !desired.ContainsKey(p)),
            Total: desired.Count,
            time.GetElapsedTime(started),
            Convert.ToHexStringLower(SHA256.HashData(repomd)),
            cleanupProblem);
        LogPublished(Root, result.Generation, result.Added, result.Removed, result.Total, (long)result.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Maps a path inside the repository (as in a URL, e.g. <c>repodata/repomd.xml</c>) to the file to serve; null when
    /// there is none or the path is refused: absolute, empty segments, <c>.</c>/<c>..</c> or other names starting with a
    /// dot (the lock and the generations behind the link), NUL or backslashes, or a symlink leading out of the root.
    /// The caller decodes percent-escapes first.
    /// </summary>
    public string? Resolve(string relativePath)
    {
        if (string.IsNullOrEmpty(relativePath) || relativePath.Length > 4096 || relativePath.AsSpan().IndexOfAny('\0', '\\') >= 0)
        {
            return null;
        }

        foreach (var segment in relativePath.Split('/'))
        {
            if (segment.Length == 0 || segment[0] == '.')
            {
                return null;
            }
        }

        var realRoot = LinuxFiles.RealPath(Root);
        var real = LinuxFiles.RealPath(Path.Combine(Root, relativePath));
        return realRoot is not null && real is not null && real.StartsWith(realRoot + "/", StringComparison.Ordinal) && File.Exists(real) ? real : null;
    }

    /// <summary>Clears what a failed or killed publish left; returns the generation served.</summary>
    private long? Recover()
    {
        var current = layout.CurrentGeneration();
        layout.DeleteTemporaryLinks();
        pool.ClearIncoming();
        var all = layout.Generations();
        var served = all.Where(g => g <= current).ToList();
        var leftovers = all.Where(g => current is null || g > current).Select(layout.GenerationDirectory).Concat(layout.StagingDirectories()).ToList();
        foreach (var leftover in leftovers)
        {
            LogDiscarding(Root, Path.GetFileName(leftover));
            Discard(leftover, served);
        }

        return current;
    }

    /// <summary>Removes an unpublished generation and the pool files only it listed.</summary>
    private void Discard(string generationDirectory, IEnumerable<long> keep)
    {
        try
        {
            var referenced = keep.SelectMany(layout.ReadManifest).ToHashSet(StringComparer.Ordinal);
            pool.Delete(RepositoryLayout.ReadManifest(generationDirectory).Where(p => !referenced.Contains(p)));
            pool.ClearIncoming();
            if (Directory.Exists(generationDirectory))
            {
                Directory.Delete(generationDirectory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next publish discards it again before doing anything else.
            LogCleanupFailed(Root, e);
        }
    }

    /// <summary>Links the metadata files older kept generations reference into the new one, so their readers still find them.</summary>
    private void CarryOver(string target, IEnumerable<long> older)
    {
        foreach (var generation in older)
        {
            var source = layout.RepodataOf(generation);
            RepomdFile repomd;
            try
            {
                repomd = RepomdFile.Load(Path.Combine(source, "repomd.xml"));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                continue;
            }

            foreach (var record in repomd.Records)
            {
                var name = Path.GetFileName(record.Href);
                var from = Path.Combine(source, name);
                var to = Path.Combine(target, name);
                if (File.Exists(from) && !File.Exists(to) && !LinuxFiles.TryLink(from, to))
                {
                    File.Copy(from, to);
                }
            }
        }
    }

    /// <summary>
    /// Deletes generations past the kept ones and the pool files no kept generation lists; returns why not, if not.
    /// <paramref name="known"/> holds manifests already in memory, by generation.
    /// </summary>
    private async Task<string?> PruneAsync(long served, IReadOnlyDictionary<long, IEnumerable<string>> known)
    {
        try
        {
            var all = layout.Generations().Where(g => g <= served).ToList();
            var kept = all.TakeLast(options.GenerationsKept).ToList();
            var dropped = all.Except(kept).ToList();
            if (dropped.Count > 0)
            {
                IEnumerable<string> Manifest(long generation) => known.TryGetValue(generation, out var manifest) ? manifest : layout.ReadManifest(generation);
                var unused = dropped.SelectMany(Manifest).ToHashSet(StringComparer.Ordinal);
                foreach (var generation in kept)
                {
                    unused.ExceptWith(Manifest(generation));
                }

                pool.Delete(unused);
            }

            await StageAsync(PublishStage.Pruning);
            foreach (var generation in dropped)
            {
                Directory.Delete(layout.GenerationDirectory(generation), recursive: true);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(Root, e);
            return $"removing old generations failed ({e.Message}); the repository is published, and the next publish tries again";
        }
    }

    private async Task WaitingForLockAsync()
    {
        LogWaitingForLock(Root);
        await StageAsync(PublishStage.WaitingForLock);
    }

    private Task StageAsync(PublishStage stage) => StageHook?.Invoke(stage) ?? Task.CompletedTask;
}

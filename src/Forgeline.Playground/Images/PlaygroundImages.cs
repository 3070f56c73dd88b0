using System.Collections.Concurrent;
using System.Diagnostics;
using Forgeline.Core.Playground;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Images;

/// <summary>
/// A host's cache of built playground images, one directory per digest under <see cref="Directory"/>:
/// <c>DIGEST/layer</c> (the packages, files, setup script's changes and the learner's account, over the rootfs) and,
/// for a rootfs archive, <c>DIGEST/base</c> (the extracted archive). A rootfs directory is used in place, never copied:
/// sessions only ever see it read-only, through overlayfs.
/// </summary>
/// <remarks>
/// An image is built in <c>.partial-DIGEST-GUID</c> and renamed to its digest only when every step succeeded; a crash
/// leaves only the partial directory, which the next cache on the directory removes. One build per digest at a time:
/// a lock in the process, and a lock file (<c>DIGEST.lock</c>) between processes sharing the directory. Building needs
/// root: overlayfs mounts and the image files' real owners.
/// </remarks>
public sealed partial class PlaygroundImages
{
    private const string PartialPrefix = ".partial-";
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> building = new(StringComparer.Ordinal);
    private readonly ILogger logger;

    /// <summary>Opens (and creates) the cache in <paramref name="directory"/>, e.g. <c>DATA/playground/images</c>, removing what unfinished builds left.</summary>
    public PlaygroundImages(string directory, ILogger logger)
    {
        Directory = Path.GetFullPath(directory);
        this.logger = logger;
        if (PlaygroundImageRules.OverlayPathProblem(Directory) is { } problem)
        {
            throw new ArgumentException($"the image cache {problem}", nameof(directory));
        }

        System.IO.Directory.CreateDirectory(Directory);
        foreach (var partial in System.IO.Directory.EnumerateDirectories(Directory, PartialPrefix + "*").ToList())
        {
            // Another process's build holds its digest's lock: its partial directory is still being written.
            var digest = Path.GetFileName(partial)[PartialPrefix.Length..].Split('-')[0];
            using var held = TryLockFile(digest);
            if (held is not null)
            {
                DeleteTree(partial);
                LogRemovedPartial(partial);
            }
        }
    }

    /// <summary>The cache directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// The image of <paramref name="definition"/>, from the cache or built now. Throws
    /// <see cref="PlaygroundImageException"/> when the definition is not valid or a step fails (nothing is left behind).
    /// </summary>
    /// <param name="definition">The image definition.</param>
    /// <param name="progress">Gets a line per step ("installing 12 packages") and the steps' output; null for none.</param>
    /// <param name="cancellationToken">Stops the build; its partial directory is removed.</param>
    public async Task<PlaygroundImage> EnsureAsync(PlaygroundImageDefinition definition, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (PlaygroundImageRules.FindProblem(definition) is { } problem)
        {
            throw new PlaygroundImageException($"the image definition is not valid: {problem}");
        }

        var digest = PlaygroundImageRules.DigestOf(definition);
        var gate = building.GetOrAdd(digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Cached(definition, digest) is { } cached)
            {
                return cached;
            }

            using var fileLock = await LockFileAsync(digest, cancellationToken);
            if (Cached(definition, digest) is { } builtElsewhere)
            {
                return builtElsewhere;
            }

            return await BuildAsync(definition, digest, progress, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private PlaygroundImage? Cached(PlaygroundImageDefinition definition, string digest)
    {
        var final = Path.Combine(Directory, digest);
        return System.IO.Directory.Exists(final) ? ImageAt(definition, digest, final) : null;
    }

    private static PlaygroundImage ImageAt(PlaygroundImageDefinition definition, string digest, string directory) =>
        new(digest, [Path.Combine(directory, "layer"), .. BottomLayers(definition, directory)]);

    /// <summary>What the image's own layer goes over, top first: the rootfs directory itself, or the extracted archive.</summary>
    private static string[] BottomLayers(PlaygroundImageDefinition definition, string directory) =>
        definition.Rootfs is not { } rootfs ? []
        : PlaygroundImageRules.IsArchive(rootfs) ? [Path.Combine(directory, "base")]
        : [rootfs];

    private async Task<PlaygroundImage> BuildAsync(PlaygroundImageDefinition definition, string digest, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new PlaygroundImageException("building a playground image needs root (overlayfs mounts, the image files' owners); run the playground host as root");
        }

        LogBuilding(digest);
        var clock = Stopwatch.StartNew();
        var partial = Path.Combine(Directory, $"{PartialPrefix}{digest}-{Guid.NewGuid():N}");
        try
        {
            await new ImageBuild(partial, BottomLayers(definition, partial), progress).RunAsync(definition, cancellationToken);
            var final = Path.Combine(Directory, digest);
            System.IO.Directory.Move(partial, final);
            LogBuilt(digest, clock.Elapsed.TotalSeconds);
            return ImageAt(definition, digest, final);
        }
        catch (Exception e)
        {
            DeleteTree(partial);
            if (e is OperationCanceledException)
            {
                throw;
            }

            LogFailed(digest, e.Message);
            throw e is PlaygroundImageException ? e : new PlaygroundImageException($"building the image failed: {e.Message}", e);
        }
    }

    private async Task<FileStream> LockFileAsync(string digest, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryLockFile(digest) is { } held)
            {
                return held;
            }

            await Task.Delay(LockPoll, cancellationToken);
        }
    }

    private FileStream? TryLockFile(string digest)
    {
        try
        {
            return new FileStream(Path.Combine(Directory, digest + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void DeleteTree(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next cache on this directory, which removes partial directories.
        }
    }
}

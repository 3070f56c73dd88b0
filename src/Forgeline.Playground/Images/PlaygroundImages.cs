using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Forgeline.Core.Playground;
using Forgeline.Core.Workers;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;
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
        var build = new ImageBuild(partial, BottomLayers(definition, partial));
        System.IO.Directory.CreateDirectory(build.Layer);
        System.IO.Directory.CreateDirectory(build.Work);
        System.IO.Directory.CreateDirectory(build.MountPoint);
        try
        {
            if (definition.Rootfs is { } rootfs && PlaygroundImageRules.IsArchive(rootfs))
            {
                await ExtractAsync(rootfs, Path.Combine(partial, "base"), progress, cancellationToken);
            }

            if (definition.Packages is { Count: > 0 } packages)
            {
                await InstallPackagesAsync(definition, packages, build, progress, cancellationToken);
            }

            if (definition.Files is { Count: > 0 } files)
            {
                await WriteFilesAsync(files, build, progress, cancellationToken);
            }

            if (definition.Setup is { } setup)
            {
                progress?.Report("running the setup script");
                await RunStepAsync("the setup script", build, setup, [], null, progress, cancellationToken);
            }

            await RunStepAsync("adding the learner's account", build, LearnerScript, [], null, progress, cancellationToken);
            foreach (var scratch in new[] { build.Work, build.MountPoint, Path.Combine(partial, "files"), Path.Combine(partial, "dnf") })
            {
                if (System.IO.Directory.Exists(scratch))
                {
                    System.IO.Directory.Delete(scratch, recursive: true);
                }
            }

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

    private static async Task ExtractAsync(string archive, string destination, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Report($"extracting {Path.GetFileName(archive)}");
        System.IO.Directory.CreateDirectory(destination);
        // GNU tar refuses members with '..' and strips a leading '/', and makes "dangerous" symlinks placeholders until
        // the end, so nothing lands outside the destination; any refusal makes its exit status nonzero.
        var start = new ProcessStartInfo("tar") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-x", "--numeric-owner", "-p", "-f", archive, "-C", destination])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new PlaygroundImageException("could not run tar");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        var errors = (await stderr).Trim();
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new PlaygroundImageException($"extracting the rootfs {archive} failed (tar exit {process.ExitCode}): {Last(errors, 5)}");
        }
    }

    private static async Task InstallPackagesAsync(PlaygroundImageDefinition definition, IReadOnlyList<string> packages, ImageBuild build, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(packages.Count == 1 ? $"installing {packages[0]}" : $"installing {packages.Count} packages");
        var scratch = Path.Combine(build.Partial, "dnf");
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64";
        var root = new JobRoot("playground", arch, definition.Repositories ?? [], packages, ReleaseVersion: definition.ReleaseVersion);
        var dnf = DnfSetup.Write(root, Path.Combine(scratch, "config"), Path.Combine(scratch, "cache"), null, null, null);
        var workDirectory = Path.Combine(scratch, "work");
        System.IO.Directory.CreateDirectory(workDirectory);
        var into = build.Lowers.Count == 0
            ? new SandboxRoot(build.Layer, SandboxRootUse.InstallInto)
            : new SandboxRoot(build.MountPoint, SandboxRootUse.InstallInto, build.Lowers, build.Layer, build.Work);
        var network = root.Repositories.Any(r => r.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase));
        var request = new SandboxRequest(workDirectory, [.. dnf.InstallCommand(packages)], network, TimeSpan.FromHours(1), long.MaxValue, dnf.Binds, dnf.Environment, Root: into);
        var output = new StepOutput(progress, keepLines: 60);
        var result = await new BubblewrapSandbox().RunAsync(request, bytes =>
        {
            output.Add(bytes.Span);
            return Task.CompletedTask;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (!result.Succeeded)
        {
            var tail = output.Tail();
            throw new PlaygroundImageException($"installing the packages failed: {DnfSetup.Reason(tail) ?? result.StartProblem ?? Last(tail, 5)}");
        }

        File.Move(Path.Combine(workDirectory, "packages.txt"), Path.Combine(build.Partial, "packages.txt"));
    }

    private static async Task WriteFilesAsync(IReadOnlyDictionary<string, string> files, ImageBuild build, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(files.Count == 1 ? "writing 1 file" : $"writing {files.Count} files");
        // The contents go in through a read-only directory on the script's private /tmp; the script writes each where
        // the image's own paths lead (its symlinks resolve inside the image).
        var input = Path.Combine(build.Partial, "files");
        System.IO.Directory.CreateDirectory(input);
        var arguments = new List<string>();
        var n = 0;
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            await File.WriteAllTextAsync(Path.Combine(input, $"{n}"), content, cancellationToken);
            arguments.AddRange([path, content.StartsWith("#!", StringComparison.Ordinal) ? "0755" : "0644", $"{n}"]);
            n++;
        }

        await RunStepAsync("writing the files", build, FilesScript, arguments, input, progress, cancellationToken);
    }

    private static async Task RunStepAsync(string step, ImageBuild build, string script, IReadOnlyList<string> arguments, string? input, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var output = new StepOutput(progress);
        var code = await ImageSandbox.RunAsync(build.Layer, build.Lowers, build.Work, build.MountPoint, script, arguments, input, output, cancellationToken);
        if (code != 0)
        {
            var tail = output.Tail();
            var hint = tail.Contains("execvp /bin/sh", StringComparison.Ordinal) ? " (the image has no /bin/sh: install a shell, e.g. bash)" : "";
            throw new PlaygroundImageException($"{step} failed (exit {code}){hint}: {(tail.Length > 0 ? tail : "no output")}");
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

    private static string Last(string text, int lines) => string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

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

    /// <summary>The directories of one build: the layer it writes, what it goes over, and overlayfs's scratch.</summary>
    private sealed record ImageBuild(string Partial, IReadOnlyList<string> Lowers)
    {
        public string Layer => Path.Combine(Partial, "layer");

        public string Work => Path.Combine(Partial, "work");

        public string MountPoint => Path.Combine(Partial, "merged");
    }
}

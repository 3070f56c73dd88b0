using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgeline.Core.Playground;
using Forgeline.Core.Targets;

namespace Forgeline.Playground.Images;

/// <summary>The rules a playground image definition follows, with the words for error messages, and its digest (its cache key).</summary>
public static class PlaygroundImageRules
{
    /// <summary>Most bytes (UTF-8) all <see cref="PlaygroundImageDefinition.Files"/> may hold together.</summary>
    public const int MaxFilesBytes = 1024 * 1024;

    /// <summary>Most files an image definition may name.</summary>
    public const int MaxFiles = 1000;

    /// <summary>Most bytes (UTF-8) of <see cref="PlaygroundImageDefinition.Setup"/>.</summary>
    public const int MaxSetupBytes = 64 * 1024;

    /// <summary>Most packages an image definition may name.</summary>
    public const int MaxPackages = 1000;

    /// <summary>The endings of a rootfs that is an archive (anything else is a directory).</summary>
    public static readonly IReadOnlyList<string> ArchiveEndings = [".tar", ".tar.gz", ".tgz", ".tar.xz"];

    // What the kernel makes in every session: files put there would never be seen.
    private static readonly string[] KernelTrees = ["/proc", "/dev", "/sys"];

    // Bumped when the way an image is built changes, so every host builds its images again.
    private const int BuildFormat = 1;

    /// <summary>Whether <paramref name="rootfs"/> names an archive (by its ending).</summary>
    public static bool IsArchive(string rootfs) => ArchiveEndings.Any(e => rootfs.EndsWith(e, StringComparison.Ordinal));

    /// <summary>
    /// What is wrong with <paramref name="image"/>, or null. The rootfs is looked at on this machine: it must be there,
    /// as a directory or an archive.
    /// </summary>
    public static string? FindProblem(PlaygroundImageDefinition image)
    {
        var packages = image.Packages ?? [];
        if (image.Rootfs is null && packages.Count == 0)
        {
            return "an image needs a rootfs (a directory, or a .tar, .tar.gz, .tgz or .tar.xz archive), packages to install, or both";
        }

        if (image.Rootfs is { } rootfs && RootfsProblem(rootfs) is { } rootfsProblem)
        {
            return rootfsProblem;
        }

        var repositories = image.Repositories ?? [];
        if (packages.Count > 0 && repositories.Count == 0)
        {
            return "packages need at least one repository to come from; add the repositories (id, url and, to check signatures, gpgKey)";
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var repository in repositories)
        {
            // Without a key nothing is checked, so signedMetadata (true by default) means nothing there.
            if (TargetRules.RepositoryProblem(new TargetRepository(repository.Id, repository.Url, repository.GpgKey, repository.SignedMetadata && repository.GpgKey is not null)) is { } problem)
            {
                return problem;
            }

            if (!ids.Add(repository.Id))
            {
                return $"repository id '{repository.Id}' is given twice; each repository needs an id of its own";
            }
        }

        if (packages.Count > MaxPackages)
        {
            return $"an image may name at most {MaxPackages} packages, not {packages.Count}";
        }

        foreach (var package in packages)
        {
            if (package is null || package.Length is 0 or > 128 || package.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || package.StartsWith('-'))
            {
                return $"package '{package}' is not a package, capability or group name (no spaces, not starting with '-'; groups start with @)";
            }
        }

        if (image.Files is { } files && FilesProblem(files) is { } filesProblem)
        {
            return filesProblem;
        }

        if (image.Setup is { } setup)
        {
            if (Encoding.UTF8.GetByteCount(setup) > MaxSetupBytes)
            {
                return $"the setup script may be at most {MaxSetupBytes / 1024} KiB; put large content into files or packages";
            }

            if (setup.Contains('\0', StringComparison.Ordinal))
            {
                return "the setup script must not contain NUL characters";
            }
        }

        if (image.ReleaseVersion is not { Length: >= 1 and <= 32 } release || !release.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+'))
        {
            return $"releaseVersion '{image.ReleaseVersion}' must be 1 to 32 letters, digits, '.', '_', '-' or '+' (e.g. 24.03)";
        }

        return null;
    }

    /// <summary>
    /// sha256 (lowercase hex) of a canonical JSON form of <paramref name="image"/>: the image's cache key. For a rootfs
    /// archive its size and modification time are part of it, so a replaced archive makes a new image; a rootfs
    /// directory is used in place, so only its path counts.
    /// </summary>
    public static string DigestOf(PlaygroundImageDefinition image)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("format", BuildFormat);
            json.WriteString("rootfs", image.Rootfs);
            if (image.Rootfs is { } rootfs && IsArchive(rootfs))
            {
                var archive = new FileInfo(rootfs);
                json.WriteNumber("archiveSize", archive.Exists ? archive.Length : -1);
                json.WriteNumber("archiveModified", archive.Exists ? archive.LastWriteTimeUtc.Ticks : -1);
            }

            json.WriteStartArray("repositories");
            foreach (var repository in image.Repositories ?? [])
            {
                json.WriteStartObject();
                json.WriteString("id", repository.Id);
                json.WriteString("url", repository.Url);
                json.WriteString("gpgKey", repository.GpgKey);
                json.WriteString("layer", repository.Layer);
                json.WriteBoolean("signedMetadata", repository.SignedMetadata);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("packages");
            foreach (var package in image.Packages ?? [])
            {
                json.WriteStringValue(package);
            }

            json.WriteEndArray();
            json.WriteStartObject("files");
            foreach (var (path, content) in (image.Files ?? new Dictionary<string, string>()).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                json.WriteString(path, content);
            }

            json.WriteEndObject();
            json.WriteString("setup", image.Setup);
            json.WriteString("releaseVersion", image.ReleaseVersion);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>What is wrong with a host path that overlayfs takes as text (in <c>lowerdir=a:b</c>), or null.</summary>
    public static string? OverlayPathProblem(string path) =>
        !Path.IsPathFullyQualified(path) ? $"'{path}' must be an absolute path"
        : path.IndexOfAny([',', ':', '\\']) >= 0 || path.Any(char.IsControl) ? $"'{path}' must not contain ',', ':', '\\' or control characters such as newlines (overlayfs takes paths as text)"
        : null;

    private static string? RootfsProblem(string rootfs)
    {
        if (OverlayPathProblem(rootfs) is { } problem)
        {
            return "rootfs " + problem;
        }

        if (Path.GetFullPath(rootfs) != rootfs || rootfs.Length > 1 && rootfs.EndsWith('/'))
        {
            return $"rootfs '{rootfs}' must be a normalized path (no '.', '..', '//' or trailing '/'), e.g. {Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootfs))}";
        }

        if (rootfs == "/")
        {
            return "rootfs '/' is the host's own root; give a directory or archive made for the playground";
        }

        if (Directory.Exists(rootfs))
        {
            return null;
        }

        if (File.Exists(rootfs))
        {
            return IsArchive(rootfs) ? null : $"rootfs '{rootfs}' is a file but not a .tar, .tar.gz, .tgz or .tar.xz archive";
        }

        return $"rootfs '{rootfs}' does not exist on this machine; give a directory or a .tar, .tar.gz, .tgz or .tar.xz archive";
    }

    private static string? FilesProblem(IReadOnlyDictionary<string, string> files)
    {
        if (files.Count > MaxFiles)
        {
            return $"an image may name at most {MaxFiles} files, not {files.Count}";
        }

        long total = 0;
        foreach (var (path, content) in files)
        {
            if (path is not { Length: >= 2 and <= 1024 } || path[0] != '/' || path.Any(char.IsControl))
            {
                return $"file path '{path}' must be an absolute path in the image (e.g. /etc/motd), at most 1024 characters, without control characters";
            }

            var parts = path.Split('/')[1..];
            if (parts.Any(p => p is "" or "." or ".."))
            {
                return $"file path '{path}' must be normalized: no '.', '..', '//' or trailing '/'";
            }

            if (KernelTrees.Any(k => path == k || path.StartsWith(k + "/", StringComparison.Ordinal)))
            {
                return $"file path '{path}' is under {string.Join(", ", KernelTrees)}, which every session mounts afresh; put the file elsewhere";
            }

            if (content is null)
            {
                return $"file '{path}' has no content; give its text (\"\" for an empty file)";
            }

            total += Encoding.UTF8.GetByteCount(content);
        }

        return total > MaxFilesBytes ? $"the files hold {total} bytes together; at most {MaxFilesBytes / 1024} KiB are allowed (put large content into packages)" : null;
    }
}

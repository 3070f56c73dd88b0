using System.Formats.Tar;
using System.IO.Compression;

namespace Forgeline.Core.Sources;

/// <summary>
/// The tar.gz form of a source directory: packed by the CLI, checked by the server on upload and again by the
/// worker before it extracts. A checked archive holds only regular files, directories and symlinks that stay inside it.
/// </summary>
public static class SourceArchive
{
    /// <summary>Most entries an archive may hold.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Packs <paramref name="directory"/> into a gzip-compressed tar written to <paramref name="destination"/>; skips <c>.git</c>.</summary>
    public static void Pack(string directory, Stream destination)
    {
        var root = Path.GetFullPath(directory);
        using var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        using var writer = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal) || relative.Contains("/.git/", StringComparison.Ordinal))
            {
                continue;
            }

            var entry = DeterministicEntry(path, relative);
            using (entry.DataStream)
            {
                writer.WriteEntry(entry);
            }
        }
    }

    // Names, modes, contents and link targets only: no times, owners or process ids (a PAX header names the writing
    // process, so the GNU format is used), so packing the same tree twice gives the same bytes, and an unchanged
    // package hits the build cache.
    private static GnuTarEntry DeterministicEntry(string path, string name)
    {
        var info = new FileInfo(path);
        var entry = info switch
        {
            { LinkTarget: { } target } => new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target },
            { Attributes: var a } when a.HasFlag(FileAttributes.Directory) => new GnuTarEntry(TarEntryType.Directory, name),
            _ => new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = info.OpenRead() },
        };
        entry.Mode = info.UnixFileMode;
        entry.ModificationTime = entry.AccessTime = entry.ChangeTime = DateTimeOffset.UnixEpoch;
        return entry;
    }

    /// <summary>Reads every entry and returns the first problem found, or null when the archive is safe to extract.</summary>
    public static string? FindProblem(Stream archive)
    {
        try
        {
            using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new TarReader(gzip, leaveOpen: false);
            var count = 0;
            var sawSpec = false;
            while (reader.GetNextEntry() is { } entry)
            {
                if (++count > MaxEntries)
                {
                    return $"the archive has more than {MaxEntries} entries";
                }

                var name = entry.Name.TrimEnd('/');
                if (NameProblem(name) is { } problem)
                {
                    return $"entry '{entry.Name}' {problem}";
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory:
                        break;
                    case TarEntryType.SymbolicLink:
                        if (LinkProblem(name, entry.LinkName) is { } linkProblem)
                        {
                            return $"symlink '{name}' -> '{entry.LinkName}' {linkProblem}";
                        }

                        break;
                    default:
                        return $"entry '{name}' is a {entry.EntryType}; only files, directories and symlinks inside the archive are allowed";
                }

                sawSpec |= entry.EntryType != TarEntryType.Directory && name.EndsWith(".spec", StringComparison.Ordinal);
            }

            return sawSpec ? null : "the archive holds no .spec file";
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            return $"not a valid tar.gz archive: {e.Message}";
        }
    }

    private static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "has an empty name";
        }

        if (name.StartsWith('/'))
        {
            return "is an absolute path";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL byte";
        }

        return name.Split('/').Any(part => part == "..") ? "climbs out of the archive with '..'" : null;
    }

    private static string? LinkProblem(string name, string target)
    {
        if (target.StartsWith('/'))
        {
            return "is absolute; links must stay inside the archive";
        }

        // Resolve the target against the link's directory; it must never rise above the archive root.
        var depth = name.Count(c => c == '/');
        foreach (var part in target.Split('/'))
        {
            depth += part switch { ".." => -1, "." or "" => 0, _ => 1 };
            if (depth < 0)
            {
                return "points outside the archive";
            }
        }

        return null;
    }
}

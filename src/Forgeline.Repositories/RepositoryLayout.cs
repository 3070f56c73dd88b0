using System.Globalization;
using System.Text;

namespace Forgeline.Repositories;

/// <summary>
/// Where things live in a repository directory:
/// <c>repodata</c> (a symlink to the served generation), <c>.generations/N/</c> (a generation: <c>repodata/</c> and
/// <c>packages.txt</c>, the pool paths it lists), <c>.generations/.tmp-*/</c> (a generation being made),
/// <c>Packages/ab/&lt;sha256&gt;/&lt;file&gt;.rpm</c> (the pool, by content), <c>.incoming/</c> (files on their way into
/// the pool) and <c>.lock</c>.
/// </summary>
internal sealed class RepositoryLayout(string root)
{
    public const string RepodataName = "repodata";
    public const string ManifestName = "packages.txt";
    private const string StagingPrefix = ".tmp-";
    private const string LinkPrefix = ".generations/";
    private const string LinkSuffix = "/repodata";

    public string Root { get; } = root;

    public string RepodataLink => Path.Combine(Root, RepodataName);

    public string GenerationsDirectory => Path.Combine(Root, ".generations");

    public string IncomingDirectory => Path.Combine(Root, ".incoming");

    public string LockFile => Path.Combine(Root, ".lock");

    /// <summary>The pool path of a package, relative to the root: <c>Packages/ab/&lt;sha256&gt;/&lt;file&gt;</c>.</summary>
    public static string PoolPath(RepositoryPackage package) => $"Packages/{package.Sha256[..2]}/{package.Sha256}/{package.FileName}";

    public string GenerationDirectory(long generation) => Path.Combine(GenerationsDirectory, generation.ToString(CultureInfo.InvariantCulture));

    public string RepodataOf(long generation) => Path.Combine(GenerationDirectory(generation), RepodataName);

    public static string ManifestIn(string generationDirectory) => Path.Combine(generationDirectory, ManifestName);

    /// <summary>
    /// A fresh directory name for a generation being made. Unique, so that a createrepo_c orphaned by a killed publish
    /// (it outlives its parent) can never write into the generation a later publish makes.
    /// </summary>
    public string NewStagingDirectory() => Path.Combine(GenerationsDirectory, StagingPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>Generations a failed or killed publish was making.</summary>
    public IEnumerable<string> StagingDirectories() =>
        Directory.Exists(GenerationsDirectory) ? Directory.EnumerateDirectories(GenerationsDirectory, StagingPrefix + "*") : [];

    /// <summary>The generation the repodata link points at; null before the first publish.</summary>
    public long? CurrentGeneration()
    {
        var target = new FileInfo(RepodataLink).LinkTarget;
        if (target is null)
        {
            return Directory.Exists(RepodataLink) || File.Exists(RepodataLink)
                ? throw new RepositoryPublishException(
                    $"{RepodataLink} is not the symlink Forgeline publishes through (a repository made by hand?); move it away, or publish into an empty directory")
                : null;
        }

        if (target.StartsWith(LinkPrefix, StringComparison.Ordinal) && target.EndsWith(LinkSuffix, StringComparison.Ordinal)
            && long.TryParse(target.AsSpan(LinkPrefix.Length, target.Length - LinkPrefix.Length - LinkSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            && Directory.Exists(RepodataOf(generation)))
        {
            return generation;
        }

        throw new RepositoryPublishException(
            $"{RepodataLink} points at '{target}', which is not a generation of this repository; remove the link and publish again to rebuild the metadata");
    }

    /// <summary>The numbered generation directories present, oldest first.</summary>
    public List<long> Generations()
    {
        var found = new List<long>();
        if (Directory.Exists(GenerationsDirectory))
        {
            foreach (var dir in Directory.EnumerateDirectories(GenerationsDirectory))
            {
                if (long.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
                {
                    found.Add(generation);
                }
            }
        }

        found.Sort();
        return found;
    }

    /// <summary>The pool paths a generation lists; empty when its manifest is gone.</summary>
    public HashSet<string> ReadManifest(long generation) => ReadManifest(GenerationDirectory(generation));

    /// <summary>The pool paths the generation in <paramref name="generationDirectory"/> lists; empty when its manifest is gone.</summary>
    public static HashSet<string> ReadManifest(string generationDirectory)
    {
        var path = ManifestIn(generationDirectory);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>Writes a generation's manifest (also createrepo_c's --pkglist) completely or not at all.</summary>
    public static void WriteManifest(string generationDirectory, IEnumerable<string> poolPaths)
    {
        var path = ManifestIn(generationDirectory);
        var temporary = path + ".tmp";
        var text = new StringBuilder();
        foreach (var poolPath in poolPaths)
        {
            text.Append(poolPath).Append('\n');
        }

        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Points the repodata link at <paramref name="generation"/> with one rename(2), then makes that durable.</summary>
    public void Switch(long generation)
    {
        var temporary = Path.Combine(Root, $".repodata-{generation}.tmp");
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, $"{LinkPrefix}{generation.ToString(CultureInfo.InvariantCulture)}{LinkSuffix}");
        LinuxFiles.Rename(temporary, RepodataLink);
        LinuxFiles.SyncDirectory(Root);
    }

    /// <summary>Removes the temporary links a publish killed during <see cref="Switch"/> left behind.</summary>
    public void DeleteTemporaryLinks()
    {
        foreach (var link in Directory.EnumerateFileSystemEntries(Root, ".repodata-*.tmp"))
        {
            File.Delete(link);
        }
    }
}

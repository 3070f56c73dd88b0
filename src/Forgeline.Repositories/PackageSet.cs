using Forgeline.Core;

namespace Forgeline.Repositories;

/// <summary>Checks the packages a publish was given and keys them by pool path.</summary>
internal static class PackageSet
{
    /// <summary>
    /// Pool paths in the order of their file names: the manifest's and so createrepo_c's order. Metadata in name order
    /// compresses better than in digest order, which makes createrepo_c about a fifth faster on 5,000 packages.
    /// </summary>
    private static readonly Comparer<string> ByFileName = Comparer<string>.Create((a, b) =>
    {
        var byName = a.AsSpan(a.LastIndexOf('/') + 1).CompareTo(b.AsSpan(b.LastIndexOf('/') + 1), StringComparison.Ordinal);
        return byName != 0 ? byName : string.CompareOrdinal(a, b);
    });

    /// <summary>
    /// The packages by pool path, sorted by file name. Throws <see cref="ArgumentException"/> for a file name that cannot
    /// be a repository file, a malformed digest, or two different files of one name.
    /// </summary>
    public static SortedDictionary<string, RepositoryPackage> Check(IEnumerable<RepositoryPackage> packages)
    {
        var byPoolPath = new SortedDictionary<string, RepositoryPackage>(ByFileName);
        var byName = new Dictionary<string, RepositoryPackage>(StringComparer.Ordinal);
        foreach (var package in packages)
        {
            ArgumentNullException.ThrowIfNull(package);
            if (!IsFileName(package.FileName))
            {
                throw new ArgumentException(
                    $"'{package.FileName}' cannot be a file of a repository: it must be a plain file name ending in .rpm, not starting with a dot, without '/', '\\' or control characters",
                    nameof(packages));
            }

            if (!Sha256Hex.IsValid(package.Sha256))
            {
                throw new ArgumentException($"{package.FileName}: '{package.Sha256}' is not a sha256 digest (64 lower-case hex digits)", nameof(packages));
            }

            if (string.IsNullOrEmpty(package.SourcePath))
            {
                throw new ArgumentException($"{package.FileName}: the source path is empty; name the artifact file to publish", nameof(packages));
            }

            if (byName.TryGetValue(package.FileName, out var other))
            {
                if (other.Sha256 != package.Sha256)
                {
                    throw new ArgumentException(
                        $"two different files are both named {package.FileName} (sha256 {other.Sha256} and {package.Sha256}); a repository holds one file of a name, so keep only the build you want published",
                        nameof(packages));
                }

                continue;
            }

            byName.Add(package.FileName, package);
            byPoolPath.Add(RepositoryLayout.PoolPath(package), package);
        }

        return byPoolPath;
    }

    /// <summary>
    /// Whether createrepo_c may reuse the previous generation's metadata: it matches old entries by file name alone, so
    /// not when a file name of the previous generation comes back with other content (a rebuild of the same NEVRA).
    /// </summary>
    public static bool CanReuseMetadata(IEnumerable<string> previous, IEnumerable<string> next)
    {
        var previousByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var poolPath in previous)
        {
            previousByName[Path.GetFileName(poolPath)] = poolPath;
        }

        return next.All(p => !previousByName.TryGetValue(Path.GetFileName(p), out var old) || old == p);
    }

    private static bool IsFileName(string? name) =>
        name is { Length: > 4 and <= 255 }
        && name.EndsWith(".rpm", StringComparison.Ordinal)
        && name[0] != '.'
        && !name.Any(c => c is '/' or '\\' || char.IsControl(c));
}

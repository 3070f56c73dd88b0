using System.Collections.Concurrent;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Owners;

/// <summary>
/// Reads the OWNERS files that apply to a pull request's changed paths, always at the base branch (a pull request cannot
/// make its author an approver of itself). Files are cached per repository, ref and directory for <see cref="CacheFor"/>.
/// </summary>
public sealed class OwnersReader(TimeProvider time)
{
    /// <summary>How long a read OWNERS file (or its absence) is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(RepoRef, string, string), (OwnersFile? File, DateTimeOffset At)> cache = new();

    /// <summary>Loads the OWNERS files for <paramref name="paths"/> (the root's always) at <paramref name="gitRef"/>.</summary>
    public async Task<OwnersIndex> LoadAsync(IRepoContent content, RepoRef repo, string gitRef, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var directories = paths.SelectMany(DirectoriesUp).Append("").Distinct().ToList();
        var files = new Dictionary<string, OwnersFile>();
        foreach (var directory in directories)
        {
            if (await ReadAsync(content, repo, gitRef, directory, cancellationToken) is { } file)
            {
                files[directory] = file;
            }
        }

        return new OwnersIndex(files, paths);
    }

    /// <summary>The directories from a path's own up to the root ("" last).</summary>
    public static IEnumerable<string> DirectoriesUp(string path)
    {
        var directory = path.Trim('/');
        while (true)
        {
            var slash = directory.LastIndexOf('/');
            directory = slash < 0 ? "" : directory[..slash];
            yield return directory;
            if (directory.Length == 0)
            {
                yield break;
            }
        }
    }

    private async Task<OwnersFile?> ReadAsync(IRepoContent content, RepoRef repo, string gitRef, string directory, CancellationToken cancellationToken)
    {
        var key = (repo, gitRef, directory);
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && now - cached.At < CacheFor)
        {
            return cached.File;
        }

        var path = directory.Length == 0 ? "OWNERS" : $"{directory}/OWNERS";
        var text = await content.GetFileAsync(repo, path, gitRef, cancellationToken);
        var file = text is null ? null : OwnersFile.Parse(directory, text);
        cache[key] = (file, now);
        return file;
    }
}

using System.Diagnostics;
using Forgeline.Testing;

/// <summary>The benchmark's RPMs, made once with rpmbuild (tiny noarch subpackages, 500 per spec) and kept in a cache directory.</summary>
internal sealed record PackageCache(IReadOnlyList<string> Base, IReadOnlyList<string> Extras)
{
    private const int PerSpec = 500;
    private const int ExtraCount = 50;

    /// <summary>The cached packages, made first when the cache lacks them.</summary>
    public static async Task<PackageCache> GetAsync(string directory, int count, int rounds)
    {
        if (rounds > ExtraCount)
        {
            throw new ArgumentOutOfRangeException(nameof(rounds), rounds, $"at most {ExtraCount} rounds (one added package each)");
        }

        var done = Path.Combine(directory, "complete");
        if (!File.Exists(done))
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Console.WriteLine($"making {count} + {ExtraCount} RPMs in {directory} (once; cached for later runs)…");
            var clock = Stopwatch.StartNew();
            var chunks = Enumerable.Range(0, (count + PerSpec - 1) / PerSpec).ToList();
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (chunk, _) =>
            {
                var size = Math.Min(PerSpec, count - (chunk * PerSpec));
                await NoarchRpms.BuildManyAsync(Path.Combine(directory, "base"), $"bench{chunk:D3}p", size);
                Console.WriteLine($"  {Math.Min((chunk + 1) * PerSpec, count)} made ({clock.Elapsed.TotalSeconds:0} s)");
            });
            await NoarchRpms.BuildManyAsync(Path.Combine(directory, "extra"), "benchextra", ExtraCount);
            await File.WriteAllTextAsync(done, "");
        }

        var all = Directory.GetFiles(Path.Combine(directory, "base"), "*.rpm").Order(StringComparer.Ordinal).ToList();
        var extras = Enumerable.Range(1, ExtraCount).Select(i => Path.Combine(directory, "extra", $"benchextra{i}-1.0-1.noarch.rpm")).ToList();
        if (all.Count != count)
        {
            throw new InvalidOperationException($"{directory} holds {all.Count} packages, not {count}; delete it to make them again");
        }

        return new PackageCache(all, extras);
    }
}

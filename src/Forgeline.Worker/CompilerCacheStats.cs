namespace Forgeline.Worker;

/// <summary>What the compiler cache did during one build, read from ccache's per-build statistics log.</summary>
/// <param name="DirectHits">Compilations found in the cache by their inputs' hashes.</param>
/// <param name="PreprocessedHits">Compilations found in the cache after preprocessing.</param>
/// <param name="Misses">Compilations that ran and were stored.</param>
/// <param name="Uncacheable">Compiler calls ccache passes through (linking, preprocessing only, unsupported options).</param>
public sealed record CompilerCacheStats(int DirectHits, int PreprocessedHits, int Misses, int Uncacheable)
{
    /// <summary>Compilations answered from the cache.</summary>
    public int Hits => DirectHits + PreprocessedHits;

    /// <summary>Reads a ccache <c>stats_log</c> file: a <c># file</c> line per compiler call, then the counters it touched.</summary>
    public static CompilerCacheStats Parse(IEnumerable<string> lines)
    {
        int direct = 0, preprocessed = 0, misses = 0, uncacheable = 0;
        var counters = new List<string>();
        void EndCall()
        {
            if (counters.Contains("direct_cache_hit"))
            {
                direct++;
            }
            else if (counters.Contains("preprocessed_cache_hit"))
            {
                preprocessed++;
            }
            else if (counters.Contains("cache_miss"))
            {
                misses++;
            }
            else
            {
                uncacheable++;
            }

            counters.Clear();
        }

        var inCall = false;
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            if (line.StartsWith('#'))
            {
                if (inCall)
                {
                    EndCall();
                }

                inCall = true;
            }
            else if (inCall)
            {
                counters.Add(line);
            }
        }

        if (inCall)
        {
            EndCall();
        }

        return new CompilerCacheStats(direct, preprocessed, misses, uncacheable);
    }

    /// <summary>One line for the build log.</summary>
    public override string ToString() =>
        $"ccache: {Hits} hits ({DirectHits} direct, {PreprocessedHits} preprocessed), {Misses} misses, {Uncacheable} compiler calls not cacheable";
}

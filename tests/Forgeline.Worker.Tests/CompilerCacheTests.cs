using System.Text.RegularExpressions;
using Forgeline.Testing;

namespace Forgeline.Worker.Tests;

/// <summary>
/// ccache with real rpmbuild in the real sandbox: a second build of the same C sources (another release, another work
/// directory) compiles from the cache, and a worker with --no-ccache leaves no cache behind.
/// </summary>
public sealed partial class CompilerCacheTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-ccache");
    private readonly LocalJobTransfer transfer = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_rebuild_with_another_release_and_comment_hits_the_compiler_cache()
    {
        CompilerCache.IsInstalled().ShouldBeTrue("ccache is not installed; scripts/install-deps installs it");
        var options = new WorkerOptions { WorkDirectory = home["work"] };
        var (cache, status) = CompilerCache.ForWorker(options, "debian-12-test");
        cache.ShouldNotBeNull(status);
        cache.Directory.ShouldBe(home["work/ccache-debian-12-test"]);
        var name = $"fl-cc-{Guid.NewGuid():N}"[..16];

        var first = await BuildAsync(await TestPackages.MakeCSrpmAsync(home["in"], name, release: "1", comment: "first"), cache, "build-1");
        var second = await BuildAsync(await TestPackages.MakeCSrpmAsync(home["in"], name, release: "2", comment: "second, with another comment"), cache, "build-2");

        // hello.c through make (cc) and greet.c through %{__cc}: both compilers are ccache's wrappers.
        Stats(first).ShouldBe((Hits: 0, Misses: 2));
        Stats(second).ShouldBe((Hits: 2, Misses: 0));
        Directory.EnumerateFiles(cache.Directory, "*", SearchOption.AllDirectories).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task With_no_ccache_the_build_compiles_without_a_cache_and_writes_none()
    {
        var options = new WorkerOptions { WorkDirectory = home["work"], Ccache = false, CcacheDirectory = home["cache"] };
        var (cache, status) = CompilerCache.ForWorker(options, "debian-12-test");
        cache.ShouldBeNull();
        status.ShouldContain("--no-ccache");
        var name = $"fl-nocc-{Guid.NewGuid():N}"[..16];

        var log = await BuildAsync(await TestPackages.MakeCSrpmAsync(home["in"], name, buildScript: "echo \"PATH=$PATH\"; env | grep ^CCACHE_ || echo no-ccache-variables"), cache, "work/build");

        log.ShouldContain("PATH=/usr/bin:/bin:/usr/sbin:/sbin\n");
        log.ShouldContain("no-ccache-variables\n");
        log.ShouldNotContain("forgeline: ccache:");
        Directory.Exists(home["cache"]).ShouldBeFalse();
        Directory.EnumerateDirectories(home["work"], "ccache*").ShouldBeEmpty();
        // Nor did ccache fall back to its default directory under HOME (/build in the sandbox).
        Directory.Exists(home["work/build/.cache/ccache"]).ShouldBeFalse();
        Directory.Exists(home["work/build/.ccache"]).ShouldBeFalse();
    }

    [Fact]
    public async Task A_build_that_replaces_its_stats_log_with_a_fifo_does_not_hang_the_worker()
    {
        var work = home["fifo"];
        Directory.CreateDirectory(work);
        await ProcessRunner.RunCheckedAsync("mkfifo", Path.Combine(work, CompilerCache.StatsLogName));

        var read = Task.Run(() => CompilerCache.ReadStats(work));

        (await read.WaitAsync(Sandboxed.Patience)).ShouldBeNull();
    }

    [Fact]
    public void The_stats_log_is_counted_per_compiler_call()
    {
        var stats = CompilerCacheStats.Parse("""
            # hello.c
            direct_cache_hit
            local_storage_hit
            # greet.c
            cache_miss
            direct_cache_miss
            local_storage_write
            preprocessed_cache_miss
            # util.c
            direct_cache_miss
            preprocessed_cache_hit
            # hello.o
            called_for_link
            """.Split('\n'));

        stats.ShouldBe(new CompilerCacheStats(DirectHits: 1, PreprocessedHits: 1, Misses: 1, Uncacheable: 1));
        stats.Hits.ShouldBe(2);
        stats.ToString().ShouldBe("ccache: 2 hits (1 direct, 1 preprocessed), 1 misses, 1 compiler calls not cacheable");
    }

    private async Task<string> BuildAsync(string srpm, CompilerCache? cache, string workName)
    {
        var log = new CollectingBuildLog();
        var runner = new BuildRunner(transfer, new Sandbox.BubblewrapSandbox(), await transfer.SrpmLeaseAsync(srpm), log, home[workName], cache);
        await runner.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        log.Text.ShouldContain("Wrote: /build/rpmbuild/RPMS/x86_64/");
        return log.Text;
    }

    private static (int Hits, int Misses) Stats(string log)
    {
        var match = StatsLine().Match(log);
        match.Success.ShouldBeTrue(log);
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    [GeneratedRegex(@"forgeline: ccache: (\d+) hits \(.*\), (\d+) misses")]
    private static partial Regex StatsLine();
}

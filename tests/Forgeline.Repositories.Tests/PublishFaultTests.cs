using Forgeline.Repositories;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// A publish that dies at each stage: the disk is copied as it is at that instant (what a kill -9 or power cut leaves),
/// then the stage throws. Both the copy and the original must serve a consistent signed repository, and the next
/// publish of either must clear the leftovers and succeed.
/// </summary>
[Collection("repositories")]
public sealed class PublishFaultTests(RepositoryPackagesFixture packages) : IDisposable
{
    private const int Kept = 2;
    private readonly TempDirectory dir = new("forgeline-repo-faults");

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(PublishStage.PoolFilled, 2)]
    [InlineData(PublishStage.MetadataGenerated, 2)]
    [InlineData(PublishStage.Signed, 2)]
    [InlineData(PublishStage.Switched, 3)]
    [InlineData(PublishStage.Pruning, 3)]
    internal async Task A_publish_dying_at_a_stage_leaves_a_consistent_repository_and_the_next_publish_recovers(PublishStage stage, long servedAfterCrash)
    {
        var root = dir["repo"];
        var crashed = dir["crashed"];
        await PublishAsync(root, ["alpha", "beta"]);
        await PublishAsync(root, ["alpha", "beta", "gamma"]);
        var before = ServedRepository.Check(root).FileNames;
        var publisher = new RepositoryPublisher(root, new RepositoryPublisherOptions { GenerationsKept = Kept });
        publisher.StageHook = async reached =>
        {
            if (reached == stage)
            {
                await ProcessRunner.RunCheckedAsync("cp", "-a", root, crashed);
                throw new InvalidOperationException($"injected crash at {stage}");
            }
        };

        await Should.ThrowAsync<InvalidOperationException>(() => publisher.PublishAsync(Set("alpha", "beta", "delta"), packages.SignAsync, default));

        string[] after = ["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm", "delta-1.0-1.noarch.rpm"];
        foreach (var copy in new[] { crashed, root })
        {
            var served = ServedRepository.Check(copy);
            served.Generation.ShouldBe(servedAfterCrash);
            served.FileNames.ShouldBe(servedAfterCrash == 2 ? before : after);
            (await packages.SignatureIsGoodAsync(copy)).ShouldBeTrue();

            var result = await PublishAsync(copy, ["alpha", "beta", "delta"]);

            result.Generation.ShouldBe(servedAfterCrash + 1);
            ServedRepository.Check(copy).FileNames.ShouldBe(after);
            AssertNoLeftovers(copy);
        }
    }

    [Fact]
    public async Task Leftovers_of_a_killed_publish_are_cleared_by_the_next_one()
    {
        var root = dir["repo"];
        await PublishAsync(root, ["alpha"]);
        // What a publish killed mid-way leaves: a generation being made, one made but not switched to (with a pool file
        // only it lists), a half-copied file in .incoming, and the temporary link of an interrupted switch.
        Directory.CreateDirectory(Path.Combine(root, ".generations", ".tmp-0123456789abcdef", ".repodata"));
        Directory.CreateDirectory(Path.Combine(root, ".generations", "2", "repodata"));
        var orphan = $"Packages/{new string('e', 2)}/{new string('e', 64)}/orphan-1.0-1.noarch.rpm";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, orphan))!);
        await File.WriteAllTextAsync(Path.Combine(root, orphan), "half");
        await File.WriteAllTextAsync(Path.Combine(root, ".generations", "2", "packages.txt"), orphan + "\n");
        await File.WriteAllTextAsync(Path.Combine(root, ".incoming", "0123"), "half");
        File.CreateSymbolicLink(Path.Combine(root, ".repodata-2.tmp"), ".generations/2/repodata");

        var result = await PublishAsync(root, ["alpha", "beta"]);

        result.Generation.ShouldBe(2);
        ServedRepository.Check(root).FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm"]);
        File.Exists(Path.Combine(root, orphan)).ShouldBeFalse();
        AssertNoLeftovers(root);
    }

    [Fact]
    public async Task A_failed_publish_keeps_the_packages_of_every_generation_still_readable()
    {
        var root = dir["repo"];
        await PublishAsync(root, ["gamma"]);
        var first = ServedRepository.Check(root);
        await PublishAsync(root, ["alpha"]);
        var publisher = new RepositoryPublisher(root, new RepositoryPublisherOptions { GenerationsKept = Kept });
        publisher.StageHook = stage => stage == PublishStage.MetadataGenerated ? throw new InvalidOperationException("injected failure") : Task.CompletedTask;

        // gamma comes back in the failed publish; generation 1, still readable through generation 2, lists it too.
        await Should.ThrowAsync<InvalidOperationException>(() => publisher.PublishAsync(Set("alpha", "gamma"), packages.SignAsync, default));

        foreach (var href in first.MetadataFiles.Concat(first.PackageLocations))
        {
            publisher.Resolve(href).ShouldNotBeNull($"{href} of generation 1 must still be served");
        }
    }

    [Fact]
    public async Task A_canceled_publish_leaves_the_repository_as_it_was()
    {
        var root = dir["repo"];
        await PublishAsync(root, ["alpha"]);
        using var cancel = new CancellationTokenSource();
        var publisher = new RepositoryPublisher(root);
        publisher.StageHook = async stage =>
        {
            if (stage == PublishStage.PoolFilled)
            {
                await cancel.CancelAsync();
            }
        };

        await Should.ThrowAsync<OperationCanceledException>(() => publisher.PublishAsync(Set("alpha", "beta"), packages.SignAsync, cancel.Token));

        ServedRepository.Check(root).FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm"]);
        AssertNoLeftovers(root);
    }

    /// <summary>No unfinished generation, temporary link or incoming file; the pool holds exactly what kept generations list.</summary>
    internal static void AssertNoLeftovers(string root, int kept = Kept)
    {
        var served = ServedRepository.Check(root).Generation;
        var generations = Directory.GetDirectories(Path.Combine(root, ".generations")).Select(d => long.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        generations.ShouldBe(Enumerable.Range((int)Math.Max(1, served - kept + 1), (int)Math.Min(kept, served)).Select(g => (long)g).ToList());
        Directory.GetFileSystemEntries(root, ".repodata-*").ShouldBeEmpty();
        Directory.GetDirectories(Path.Combine(root, ".generations"), ".tmp-*").ShouldBeEmpty();
        Directory.GetFiles(Path.Combine(root, ".incoming")).ShouldBeEmpty();
        var listed = generations.SelectMany(g => File.ReadAllLines(Path.Combine(root, ".generations", g.ToString(System.Globalization.CultureInfo.InvariantCulture), "packages.txt"))).ToHashSet();
        var pool = Directory.GetFiles(Path.Combine(root, "Packages"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToHashSet();
        pool.Order().ShouldBe(listed.Order());
    }

    private Task<PublishResult> PublishAsync(string root, string[] names) =>
        new RepositoryPublisher(root, new RepositoryPublisherOptions { GenerationsKept = Kept }).PublishAsync(Set(names), packages.SignAsync, default);

    private List<RepositoryPackage> Set(params string[] names) => names.Select(n => packages.Package(n)).ToList();
}

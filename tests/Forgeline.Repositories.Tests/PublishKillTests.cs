using System.Diagnostics;
using Forgeline.Repositories;
using Forgeline.Testing;
using Xunit.Abstractions;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// A publishing process killed with SIGKILL at moments picked at random (a random number of progress lines into its
/// work, so the kill lands wherever it happens to be then, inside createrepo_c or gpg included): after every kill the
/// repository is served consistent and signed, and a publish afterwards clears every leftover.
/// </summary>
[Collection("repositories")]
public sealed class PublishKillTests(RepositoryPackagesFixture packages, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory dir = new("forgeline-repo-kill");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_publisher_killed_at_random_moments_never_leaves_a_broken_repository()
    {
        var root = dir["repo"];
        var setA = await WriteSetAsync("a.tsv", packages.Package("alpha"), packages.Package("beta"), packages.Package("gamma"));
        var setB = await WriteSetAsync("b.tsv", packages.Package("alpha", "2.0"), packages.Package("beta"), packages.Package("delta"));
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);

        for (var kill = 0; kill < 8; kill++)
        {
            var lines = random.Next(1, 14);
            var last = await RunAndKillAsync(root, setA, setB, lines);
            output.WriteLine($"kill {kill}: after {lines} lines, the last '{last}'");
            if (Directory.Exists(Path.Combine(root, "repodata")) || new FileInfo(Path.Combine(root, "repodata")).LinkTarget is not null)
            {
                var served = ServedRepository.Check(root);
                (await packages.SignatureIsGoodAsync(root)).ShouldBeTrue($"generation {served.Generation} after kill {kill}");
                served.PackageLocations.Count.ShouldBe(3);
            }
        }

        var result = await new RepositoryPublisher(root, new RepositoryPublisherOptions { GenerationsKept = 2 })
            .PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);

        ServedRepository.Check(root).FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm"]);
        result.Generation.ShouldBeGreaterThan(1);
        PublishFaultTests.AssertNoLeftovers(root);
    }

    /// <summary>Starts the publish loop, reads <paramref name="lines"/> of its progress, then kills it with SIGKILL.</summary>
    private async Task<string?> RunAndKillAsync(string root, string setA, string setB, int lines)
    {
        var loop = Path.Combine(ForgelineBinary.RepositoryRoot, "tests", "Forgeline.PublishLoop", "bin", Configuration, "net10.0", "Forgeline.PublishLoop.dll");
        var start = new ProcessStartInfo("dotnet", [loop, root, setA, setB]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["GNUPGHOME"] = packages.GnupgHome;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string? last = null;
        for (var i = 0; i < lines; i++)
        {
            last = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience)
                ?? throw new InvalidOperationException($"the publish loop ended: {await errors}");
        }

        // SIGKILL to the process and its createrepo_c or gpg, as when a container dies. (An orphaned createrepo_c could
        // still be writing when the next publish starts; it writes only into its own staging directory, but its last
        // write could race with the check below, so the test does not leave one behind.)
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().WaitAsync(Patience);
        return last;
    }

    private async Task<string> WriteSetAsync(string name, params RepositoryPackage[] set)
    {
        await File.WriteAllLinesAsync(dir[name], set.Select(p => $"{p.FileName}\t{p.SourcePath}\t{p.Sha256}"));
        return dir[name];
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}

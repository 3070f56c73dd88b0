// bench/publish-repo: publish time of a repository of PACKAGES RPMs after adding ONE package. Forgeline's
// RepositoryPublisher (pool check, createrepo_c, repomd.xml signed in-process with Forgeline.Signing.OpenPgp RSA-4096,
// the atomic switch, pruning) against createrepo_c --update run by hand on a plain tree of the same RPMs (the peer), and
// the same with --no-database (the peer with Forgeline's createrepo_c flags). ROUNDS rounds, each adding the next
// package to both; the two are timed alternately and the medians compared. The RPMs (tiny noarch subpackages of a few
// specs) are cached between runs in FORGELINE_BENCH_CACHE (default /tmp/forgeline-bench-publish-repo).
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Forgeline.Repositories;
using Forgeline.Signing.OpenPgp;
using Forgeline.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
const int WarmUp = 2;
var cache = Path.Combine(Environment.GetEnvironmentVariable("FORGELINE_BENCH_CACHE") ?? "/tmp/forgeline-bench-publish-repo", $"rpms-{count}");
var rpms = await PackageCache.GetAsync(cache, count, rounds + WarmUp);
var extras = rpms.Extras;

Console.WriteLine("hashing the packages (the artifact store's digests)…");
var digests = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var (path, digest) in await Task.WhenAll(rpms.Base.Concat(extras).Select(async p => (p, await Sha256Hex(p)))))
{
    digests[path] = digest;
}

RepositoryPackage Package(string path) => new(Path.GetFileName(path), path, digests[path]);

Console.WriteLine("generating an RSA-4096 OpenPGP key…");
var material = OpenPgpKeyFactory.Generate(OpenPgpAlgorithm.Rsa4096, "Forgeline Bench <bench@bench.invalid>", DateTimeOffset.UtcNow.AddMinutes(-1), null);
using var key = OpenPgpPrivateKey.Load(material.SecretKey);
Task<string> Sign(byte[] repomd, CancellationToken _)
{
    var now = DateTimeOffset.UtcNow;
    var prepared = OpenPgpDetachedSignature.Prepare(key.PublicKey, new MemoryStream(repomd), now, HashAlgorithmName.SHA256);
    return Task.FromResult(OpenPgpDetachedSignature.Armor(key.SignPrepared(prepared, now)));
}

var work = Directory.CreateTempSubdirectory("forgeline-bench-publish-repo-").FullName;
try
{
    var publisher = new RepositoryPublisher(Path.Combine(work, "forgeline"));
    var peer = new PeerTree(Path.Combine(work, "peer"), "--update");
    var peerNoDb = new PeerTree(Path.Combine(work, "peer-nodb"), "--update", "--no-database");
    var current = rpms.Base.Select(Package).ToList();

    var cold = Stopwatch.StartNew();
    await publisher.PublishAsync(current, Sign, default);
    Console.WriteLine($"  forgeline: first publish of {count} packages (hard links, every file hashed, full createrepo_c): {cold.Elapsed.TotalSeconds:0.00} s");
    Console.WriteLine($"  createrepo_c (peer, by hand, full): {await peer.InitAsync(rpms.Base):0.00} s; with --no-database: {await peerNoDb.InitAsync(rpms.Base):0.00} s");

    var forgeline = new List<double>();
    var plain = new List<double>();
    var plainNoDb = new List<double>();
    // A publisher runs for months: the first publishes after start (JIT, tiered compilation) are not the steady state,
    // so WarmUp rounds run untimed on both sides first.
    for (var round = 0; round < rounds + WarmUp; round++)
    {
        var timed = round >= WarmUp;
        current.Add(Package(extras[round]));
        async Task Ours()
        {
            var clock = Stopwatch.StartNew();
            var result = await publisher.PublishAsync(current, Sign, default);
            if (timed)
            {
                forgeline.Add(clock.Elapsed.TotalMilliseconds);
            }
            if (result.Added != 1 || result.Total != current.Count)
            {
                throw new InvalidOperationException($"round {round}: publish added {result.Added} and holds {result.Total}, expected 1 and {current.Count}");
            }
        }

        async Task Peers()
        {
            var (a, b) = (await peer.AddAndUpdateAsync(extras[round]), await peerNoDb.AddAndUpdateAsync(extras[round]));
            if (timed)
            {
                plain.Add(a);
                plainNoDb.Add(b);
            }
        }

        // Alternate the order so neither side always runs with the page cache the other just warmed.
        if (round % 2 == 0)
        {
            await Ours();
            await Peers();
        }
        else
        {
            await Peers();
            await Ours();
        }

        if (timed)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round - WarmUp + 1}/{rounds}: forgeline {forgeline[^1]:0} ms, createrepo_c --update {plain[^1]:0} ms, --no-database {plainNoDb[^1]:0} ms"));
        }
    }

    await Verify(publisher.Root, current.Count, key.PublicKey);
    double ours = BenchStatistics.Median(forgeline), theirs = BenchStatistics.Median(plain), theirsNoDb = BenchStatistics.Median(plainNoDb);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT publish-repo ({count} packages, +1, repomd signed) = {ours:0} ms; peer createrepo_c --update = {theirs:0} ms; ratio {ours / theirs:0.00}; goal <= 1.1"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT publish-repo vs the same createrepo_c flags ({count} packages, +1) = {ours:0} ms; peer createrepo_c --update --no-database = {theirsNoDb:0} ms; ratio {ours / theirsNoDb:0.00}; goal <= 1.1"));
    return ours / theirs <= 1.1 ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static async Task<string> Sha256Hex(string path)
{
    await using var file = File.OpenRead(path);
    return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
}

// The published repository must be what was asked: the primary metadata lists every package, the signature verifies.
static async Task Verify(string root, int expected, OpenPgpPublicKeyInfo publicKey)
{
    var repomd = Path.Combine(root, "repodata", "repomd.xml");
    var signature = await File.ReadAllBytesAsync(repomd + ".asc");
    await using (var data = File.OpenRead(repomd))
    {
        if (!OpenPgpDetachedSignature.Verify(publicKey, data, signature))
        {
            throw new InvalidOperationException("repomd.xml.asc does not verify");
        }
    }

    var primary = System.Xml.Linq.XDocument.Load(repomd).Descendants().Single(e => e.Name.LocalName == "data" && (string?)e.Attribute("type") == "primary")
        .Elements().Single(e => e.Name.LocalName == "location").Attribute("href")!.Value;
    var (_, listed, _) = await ProcessRunner.RunAsync("sh", ["-c", $"zcat {Path.Combine(root, primary)} | grep -c '<package type=\"rpm\">'"]);
    if (int.Parse(listed.Trim(), CultureInfo.InvariantCulture) != expected)
    {
        throw new InvalidOperationException($"the primary metadata lists {listed.Trim()} packages, not {expected}");
    }

    Console.WriteLine($"  checked: {expected} packages listed, repomd.xml.asc verifies with the bench key");
}

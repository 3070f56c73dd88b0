using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using Forgeline.Core.Workers;
using Forgeline.Repositories;
using Forgeline.Testing.BuildRoots;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Testing.Images;

/// <summary>
/// A real tiny RPM distribution that boots: fl-busybox (Debian's static busybox), fl-base (an init printing
/// <c>FL-READY</c>), fl-kernel (Debian's linux-image kernel with 24 modules), fl-rpm (Debian's rpm binary and its
/// libraries) and the "project package" fl-hello. The RPMs are built with the host's rpmbuild once per machine (cached
/// under <see cref="DebianPackageCache.Root"/>, keyed by a digest of the specs and the kernel package); each test
/// process signs them with a fresh key and publishes two repositories with the real <see cref="RepositoryPublisher"/>:
/// <see cref="RepositoryPath"/> (fl-hello 1.0) and the newer publication <see cref="UpdatesRepositoryPath"/> (fl-hello 1.1).
/// </summary>
public sealed class TinyDistribution
{
    /// <summary>The packages of a bootable tiny image with the project package.</summary>
    public static readonly IReadOnlyList<string> ImagePackages = ["fl-base", "fl-kernel", "fl-rpm", "fl-hello"];

    private const string DirectoryPrefix = "forgeline-tiny-distribution-";

    private static readonly Lazy<Task<TinyDistribution>> Shared = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private TinyDistribution(string work, string repository, string updates, string publicKey, string kernelRelease, TimeSpan buildTime)
    {
        Work = work;
        RepositoryPath = repository;
        UpdatesRepositoryPath = updates;
        PublicKey = publicKey;
        PublicKeyPath = Path.Combine(work, "tiny.asc");
        File.WriteAllText(PublicKeyPath, publicKey);
        KernelRelease = kernelRelease;
        BuildTime = buildTime;
    }

    /// <summary>The repository with fl-busybox, fl-base, fl-kernel, fl-rpm and fl-hello 1.0.</summary>
    public string RepositoryPath { get; }

    /// <summary><see cref="RepositoryPath"/> as a <c>file://</c> URL.</summary>
    public string Url => TestDistribution.FileUrl(RepositoryPath);

    /// <summary>The newer publication: the same packages with fl-hello 1.1 instead of 1.0.</summary>
    public string UpdatesRepositoryPath { get; }

    /// <summary><see cref="UpdatesRepositoryPath"/> as a <c>file://</c> URL.</summary>
    public string UpdatesUrl => TestDistribution.FileUrl(UpdatesRepositoryPath);

    /// <summary>The key that signed every RPM and both repomd.xml, ASCII-armored.</summary>
    public string PublicKey { get; }

    /// <summary><see cref="PublicKey"/> in a file.</summary>
    public string PublicKeyPath { get; }

    /// <summary>The kernel's release (<c>uname -r</c> in the guest), e.g. <c>6.1.0-57-amd64</c>.</summary>
    public string KernelRelease { get; }

    /// <summary>How long getting the distribution took in this process.</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>This process's directory of the distribution (removed when the process exits).</summary>
    public string Work { get; }

    /// <summary>The distribution, made on the first call in this test process.</summary>
    public static Task<TinyDistribution> GetAsync() => Shared.Value;

    /// <summary>
    /// Installs <paramref name="packages"/> from <paramref name="repositoryUrl"/> (default <see cref="Url"/>) into
    /// <paramref name="root"/> as the worker installs a build root: <see cref="DnfSetup"/>'s configuration (signatures
    /// checked) and the host's dnf in <see cref="BubblewrapSandbox"/> without network. dnf's cache is removed from the root.
    /// </summary>
    public async Task InstallAsync(string root, string scratch, IReadOnlyList<string> packages, string? repositoryUrl = null)
    {
        Directory.CreateDirectory(root);
        var jobRoot = new JobRoot("tiny", "x86_64", [new JobRepository("tiny", repositoryUrl ?? Url, PublicKey)], []);
        var dnf = DnfSetup.Write(jobRoot, Path.Combine(scratch, "dnf-config"), Path.Combine(scratch, "dnf-cache"), null, null, null);
        var build = Path.Combine(scratch, "dnf-build");
        Directory.CreateDirectory(build);
        var output = new StringBuilder();
        var result = await new BubblewrapSandbox().RunAsync(
            new SandboxRequest(build, dnf.InstallCommand(packages), Network: false, TimeSpan.FromMinutes(5), 1 << 24, dnf.Binds, dnf.Environment,
                Root: new SandboxRoot(root, SandboxRootUse.InstallInto)),
            bytes =>
            {
                lock (output)
                {
                    output.Append(Encoding.UTF8.GetString(bytes.Span));
                }

                return Task.CompletedTask;
            },
            CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"dnf could not install {string.Join(' ', packages)} into {root} ({result.Outcome} {result.ExitCode} {result.StartProblem}): {output}");
        }

        // dnf puts its cachedir under the installroot; an image must not carry it.
        var cache = Path.Combine(root, DnfSetup.CachePath.TrimStart('/'));
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static async Task<TinyDistribution> CreateAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var (rpms, kernelRelease) = await RpmsAsync();
        var work = ProcessScratch.Create(DirectoryPrefix);
        var key = await TestSigningKey.CreateAsync(Path.Combine(work, "gnupg"), "Tiny Distribution <tiny@example.org>");
        var signed = Path.Combine(work, "rpms");
        Directory.CreateDirectory(signed);
        var copies = new List<string>();
        foreach (var rpm in rpms)
        {
            var copy = Path.Combine(signed, Path.GetFileName(rpm));
            File.Copy(rpm, copy);
            copies.Add(copy);
        }

        await key.SignRpmsAsync(copies);
        var first = Path.Combine(work, "repo");
        var updates = Path.Combine(work, "repo-updates");
        await PublishAsync(first, key, [.. copies.Where(c => !Path.GetFileName(c).StartsWith("fl-hello-1.1", StringComparison.Ordinal))]);
        await PublishAsync(updates, key, [.. copies.Where(c => !Path.GetFileName(c).StartsWith("fl-hello-1.0", StringComparison.Ordinal))]);
        return new TinyDistribution(work, first, updates, key.PublicKey, kernelRelease, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The unsigned RPMs, from the machine's cache or built now.</summary>
    private static async Task<(IReadOnlyList<string> Rpms, string KernelRelease)> RpmsAsync()
    {
        var kernelPackage = await DebianPackageCache.DependencyAsync("linux-image-amd64", "linux-image-");
        var release = kernelPackage["linux-image-".Length..];
        var digestInput = string.Join("\n--\n", kernelPackage, TinyDistributionSpecs.Busybox, TinyDistributionSpecs.Base, TinyDistributionSpecs.Hello,
            TinyDistributionSpecs.Kernel, TinyDistributionSpecs.Rpm, string.Join(',', TinyDistributionSpecs.KernelModules));
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(digestInput)))[..16];
        var cache = Path.Combine(DebianPackageCache.Root, $"tiny-distribution-{digest}");
        if (!File.Exists(Path.Combine(cache, ".complete")))
        {
            await BuildAsync(kernelPackage, release, cache);
        }

        return (Directory.GetFiles(cache, "*.rpm").Order(StringComparer.Ordinal).ToList(), release);
    }

    private static async Task BuildAsync(string kernelPackage, string release, string cache)
    {
        string[] suffixes = [$"/boot/vmlinuz-{release}", $"/boot/config-{release}", .. TinyDistributionSpecs.KernelModules.Select(m => $"/{m}.ko")];
        var kernelTree = await DebianPackageCache.GetAsync(kernelPackage, suffixes);
        var debianVersion = (await File.ReadAllTextAsync(Path.Combine(kernelTree, ".complete"))).Split(' ')[1];
        var upstream = debianVersion.Split('-')[0].Replace('~', '.');
        var staging = $"{cache}.staging-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        var specs = new (string Name, string Text)[]
        {
            ("fl-busybox", TinyDistributionSpecs.Busybox),
            ("fl-base", TinyDistributionSpecs.Base),
            ("fl-hello-1.0", TinyDistributionSpecs.Hello.Replace("@VERSION@", "1.0", StringComparison.Ordinal)),
            ("fl-hello-1.1", TinyDistributionSpecs.Hello.Replace("@VERSION@", "1.1", StringComparison.Ordinal)),
            ("fl-kernel", TinyDistributionSpecs.Kernel.Replace("@KX@", kernelTree, StringComparison.Ordinal).Replace("@KVER@", upstream, StringComparison.Ordinal).Replace("@KV@", release, StringComparison.Ordinal)),
            ("fl-rpm", TinyDistributionSpecs.Rpm),
        };
        foreach (var (name, text) in specs)
        {
            var spec = Path.Combine(staging, name + ".spec");
            await File.WriteAllTextAsync(spec, text);
            await HostRpmbuild.BuildBinaryAsync(spec, staging);
            File.Delete(spec);
        }

        await File.WriteAllTextAsync(Path.Combine(staging, ".complete"), $"built from {kernelPackage} {debianVersion}\n");
        try
        {
            Directory.Move(staging, cache);
        }
        catch (IOException) when (File.Exists(Path.Combine(cache, ".complete")))
        {
            Directory.Delete(staging, recursive: true); // another test process got there first
        }
    }

    private static async Task PublishAsync(string repository, TestSigningKey signer, IReadOnlyList<string> rpms)
    {
        var packages = new List<RepositoryPackage>();
        foreach (var rpm in rpms)
        {
            packages.Add(new RepositoryPackage(Path.GetFileName(rpm), rpm, await Sha256Hex.OfFileAsync(rpm)));
        }

        await new RepositoryPublisher(repository).PublishAsync(packages, signer.DetachSignAsync, CancellationToken.None);
    }
}

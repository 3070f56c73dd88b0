using System.Diagnostics;
using Forgeline.Core;
using Forgeline.Repositories;

namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// A tiny real RPM distribution for build-root tests, made once per test process: a signed file:// repository holding
/// <see cref="BuildsysPackage"/> (a working rpmbuild environment copied from the host) and the small noarch packages of
/// <see cref="DistributionPackages.All"/>. Every RPM is signed with <see cref="PublicKey"/>'s key and so is repomd.xml.
/// Published with the project's own <see cref="RepositoryPublisher"/>, so the layout is what Forgeline serves.
/// </summary>
public sealed class TestDistribution
{
    /// <summary>The package that makes a root able to build: shells, coreutils, rpm, rpmbuild; provides <c>buildsys-build</c> and <c>/bin/sh</c>.</summary>
    public const string BuildsysPackage = "test-buildsys";

    private const string DirectoryPrefix = "forgeline-test-distribution-";

    private static readonly Lazy<Task<TestDistribution>> Shared = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TestSigningKey key;
    private readonly TestSigningKey projectKey;
    private readonly string work;

    private TestDistribution(string repositoryPath, TestSigningKey key, TestSigningKey otherKey, TestSigningKey projectKey, string work, TimeSpan buildTime)
    {
        RepositoryPath = repositoryPath;
        this.key = key;
        this.projectKey = projectKey;
        this.work = work;
        OtherKeyPublicKey = otherKey.PublicKey;
        BuildTime = buildTime;
        PublicKeyPath = WriteKey("distribution.asc", key.PublicKey);
        OtherKeyPublicKeyPath = WriteKey("other.asc", otherKey.PublicKey);
        ProjectPublicKeyPath = WriteKey("project.asc", projectKey.PublicKey);
    }

    /// <summary>The repository directory.</summary>
    public string RepositoryPath { get; }

    /// <summary>The repository as a dnf <c>baseurl</c>: <c>file:///…/</c>.</summary>
    public string Url => FileUrl(RepositoryPath);

    /// <summary>The distribution key, ASCII-armored: it signed every RPM and repomd.xml.</summary>
    public string PublicKey => key.PublicKey;

    /// <summary><see cref="PublicKey"/> in a file, for <c>gpgkey=file://…</c>.</summary>
    public string PublicKeyPath { get; }

    /// <summary>A second key that signed nothing: a repository configured with it must be refused.</summary>
    public string OtherKeyPublicKey { get; }

    /// <summary><see cref="OtherKeyPublicKey"/> in a file.</summary>
    public string OtherKeyPublicKeyPath { get; }

    /// <summary>The key that signs what <see cref="BuildProjectRepositoryAsync"/> makes, ASCII-armored.</summary>
    public string ProjectPublicKey => projectKey.PublicKey;

    /// <summary><see cref="ProjectPublicKey"/> in a file.</summary>
    public string ProjectPublicKeyPath { get; }

    /// <summary>How long making the distribution took (cold, in this process).</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>
    /// The distribution, made on the first call in this test process under /tmp. It is removed when the process exits,
    /// or, when the test runner kills the process before that finishes, by the next test process that makes one.
    /// </summary>
    public static Task<TestDistribution> GetAsync() => Shared.Value;

    /// <summary><c>file://</c> URL of a directory, with the trailing slash dnf wants.</summary>
    public static string FileUrl(string directory) => new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/").AbsoluteUri;

    /// <summary>Builds the SRPM of <paramref name="specText"/> with the host's <c>rpmbuild -bs</c> in <paramref name="directory"/>; returns its path.</summary>
    public static async Task<string> BuildSrpmAsync(string specText, string directory)
    {
        Directory.CreateDirectory(directory);
        var spec = Path.Combine(directory, $"srpm-{Guid.NewGuid():N}.spec");
        await File.WriteAllTextAsync(spec, specText);
        try
        {
            return await HostRpmbuild.BuildSourceAsync(spec, directory);
        }
        finally
        {
            File.Delete(spec);
        }
    }

    /// <summary>
    /// A second repository in <paramref name="directory"/> to layer on the distribution (a project's own packages): the
    /// RPMs of <paramref name="specs"/> (binary, built on the host without checking BuildRequires), signed, like the
    /// repomd.xml, with <see cref="ProjectPublicKey"/>'s key. Returns the repository's <c>file://</c> URL.
    /// </summary>
    public async Task<string> BuildProjectRepositoryAsync(string directory, params string[] specs)
    {
        var rpmDirectory = Path.Combine(work, $"project-{Guid.NewGuid():N}");
        var rpms = new List<string>();
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = Path.Combine(rpmDirectory, $"project-{i}.spec");
            Directory.CreateDirectory(rpmDirectory);
            await File.WriteAllTextAsync(spec, specs[i]);
            rpms.AddRange(await HostRpmbuild.BuildBinaryAsync(spec, rpmDirectory));
        }

        await PublishAsync(directory, projectKey, rpms);
        return FileUrl(directory);
    }

    /// <summary>
    /// Installs <paramref name="packages"/> into <paramref name="installRoot"/> with dnf, as a person would: a private
    /// configuration naming only this distribution, package signatures checked, and HOME (under <paramref name="scratch"/>)
    /// holding an .rpmmacros that puts the root's database at /var/lib/rpm (Debian's rpm would use ~/.rpmdb). Throws
    /// when dnf fails.
    /// </summary>
    public async Task InstallAsync(string installRoot, string scratch, params string[] packages)
    {
        var home = Path.Combine(scratch, "dnf-home");
        Directory.CreateDirectory(home);
        await File.WriteAllTextAsync(Path.Combine(home, ".rpmmacros"), "%_dbpath /var/lib/rpm\n");
        var config = Path.Combine(scratch, "dnf.conf");
        await File.WriteAllTextAsync(config, $"[main]\nreposdir=/dev/null\ngpgcheck=1\ninstall_weak_deps=False\n[dist]\nname=dist\nbaseurl={Url}\ngpgkey=file://{PublicKeyPath}\n");
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dnf",
            ["-c", config, "--installroot", installRoot, "--releasever", "1", "--setopt", $"cachedir={Path.Combine(scratch, "dnf-cache")}", "-y", "install", .. packages],
            environment: new Dictionary<string, string?> { ["HOME"] = home }, timeout: TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            throw new InvalidOperationException($"dnf could not install {string.Join(" ", packages)} from the test distribution: {stdout}{stderr}");
        }
    }

    /// <summary>
    /// A copy of the repository in <paramref name="destination"/> whose primary metadata is cut in half: repomd.xml and
    /// its signature are still good, so only the checksum of primary.xml.gz (or a client that reads it) can tell.
    /// </summary>
    public void CopyCorrupted(string destination)
    {
        CopyDereferenced(RepositoryPath, destination);
        var primary = Directory.GetFiles(Path.Combine(destination, "repodata"), "*primary.xml*").Single(f => !f.EndsWith(".asc", StringComparison.Ordinal));
        using var stream = new FileStream(primary, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    private static async Task<TestDistribution> CreateAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var work = ProcessScratch.Create(DirectoryPrefix);
        var keys = await Task.WhenAll(
            TestSigningKey.CreateAsync(Path.Combine(work, "gnupg"), "Test Distribution <test@example.org>"),
            TestSigningKey.CreateAsync(Path.Combine(work, "gnupg-other"), "Someone Else <else@example.org>"),
            TestSigningKey.CreateAsync(Path.Combine(work, "gnupg-project"), "Test Project <project@example.org>"));

        var rpms = Path.Combine(work, "rpms");
        var made = await Task.WhenAll(BuildBuildsysAsync(work, rpms), BuildNoarchAsync(work, rpms));
        var repository = Path.Combine(work, "repo");
        await PublishAsync(repository, keys[0], [.. made.SelectMany(m => m)]);
        Directory.Delete(rpms, recursive: true);
        Directory.Delete(Path.Combine(work, "buildsys-tree"), recursive: true);
        return new TestDistribution(repository, keys[0], keys[1], keys[2], work, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<IReadOnlyList<string>> BuildBuildsysAsync(string work, string rpms)
    {
        var tree = Path.Combine(work, "buildsys-tree");
        await HostBuildsysTree.CopyAsync(tree);
        var spec = Path.Combine(work, $"{BuildsysPackage}.spec");
        await File.WriteAllTextAsync(spec, $$"""
            Name:        {{BuildsysPackage}}
            Version:     1.0
            Release:     1
            Summary:     A build environment copied from the Forgeline test host
            License:     Various
            AutoReqProv: no
            Provides:    /bin/sh
            Provides:    buildsys-build

            %description
            Shells, coreutils, rpm and rpmbuild from the test host, with their libraries, in a merged-/usr layout.

            %install
            cp -a {{tree}}/. %{buildroot}/

            %files
            %defattr(-,root,root,-)
            /*
            """);
        return await HostRpmbuild.BuildBinaryAsync(spec, rpms);
    }

    private static async Task<IReadOnlyList<string>> BuildNoarchAsync(string work, string rpms)
    {
        var sources = Path.Combine(work, "sources");
        Directory.CreateDirectory(sources);
        var made = new List<string>();
        foreach (var package in DistributionPackages.All)
        {
            await File.WriteAllTextAsync(Path.Combine(sources, package.SourceName), package.FileContent);
            var spec = Path.Combine(sources, $"{package.Name}.spec");
            await File.WriteAllTextAsync(spec, package.Spec());
            made.AddRange(await HostRpmbuild.BuildBinaryAsync(spec, rpms, sources));
        }

        return made;
    }

    private static async Task PublishAsync(string repository, TestSigningKey signer, IReadOnlyList<string> rpms)
    {
        await signer.SignRpmsAsync(rpms);
        var packages = new List<RepositoryPackage>();
        foreach (var rpm in rpms)
        {
            packages.Add(new RepositoryPackage(Path.GetFileName(rpm), rpm, await Sha256Hex.OfFileAsync(rpm)));
        }

        await new RepositoryPublisher(repository).PublishAsync(packages, signer.DetachSignAsync, CancellationToken.None);
    }

    private static void CopyDereferenced(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            // The publisher's own state (.lock, .generations, .incoming) is not part of what dnf reads.
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            var target = Path.Combine(destination, entry.Name);
            var real = entry.LinkTarget is null ? entry : entry.ResolveLinkTarget(returnFinalTarget: true)!;
            if (real is DirectoryInfo || Directory.Exists(real.FullName))
            {
                CopyDereferenced(real.FullName, target);
            }
            else
            {
                File.Copy(real.FullName, target);
            }
        }
    }

    private string WriteKey(string name, string armored)
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, armored);
        return path;
    }
}

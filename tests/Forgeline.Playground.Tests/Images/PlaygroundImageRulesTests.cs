using Forgeline.Core.Playground;
using Forgeline.Core.Workers;
using Forgeline.Playground.Images;
using Forgeline.Testing;

namespace Forgeline.Playground.Tests.Images;

/// <summary>What the server refuses (with 400) before any host tries to build an image, and the image's digest.</summary>
public sealed class PlaygroundImageRulesTests : IDisposable
{
    private const string Key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF...\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private static readonly JobRepository Repository = new("dist", "https://repo.example.org/dist/", Key);

    private readonly TempDirectory home = new("forgeline-image-rules");

    public void Dispose() => home.Dispose();

    [Fact]
    public void Good_definitions_have_no_problem()
    {
        Directory.CreateDirectory(home["rootfs"]);
        File.WriteAllText(home["rootfs.tar.xz"], "");

        PlaygroundImageRules.FindProblem(new(Rootfs: home["rootfs"])).ShouldBeNull();
        PlaygroundImageRules.FindProblem(new(Rootfs: home["rootfs.tar.xz"], Files: new Dictionary<string, string> { ["/etc/motd"] = "hi\n" }, Setup: "true")).ShouldBeNull();
        PlaygroundImageRules.FindProblem(new(Repositories: [Repository, new("local", "file:///srv/repo/")], Packages: ["git", "@core", "python3"])).ShouldBeNull();
    }

    [Theory]
    [InlineData("nothing", "needs a rootfs")]
    [InlineData("relative rootfs", "must be an absolute path")]
    [InlineData("rootfs with ':'", "overlayfs takes paths as text")]
    [InlineData("rootfs with ','", "overlayfs takes paths as text")]
    [InlineData("rootfs with a newline", "overlayfs takes paths as text")]
    [InlineData("rootfs not normalized", "must be a normalized path")]
    [InlineData("rootfs is the host's root", "the host's own root")]
    [InlineData("rootfs missing", "does not exist on this machine")]
    [InlineData("rootfs a file but no archive", "not a .tar, .tar.gz, .tgz or .tar.xz archive")]
    [InlineData("packages without repositories", "at least one repository")]
    [InlineData("repository id", "repository id 'bad id'")]
    [InlineData("repository ftp url", "use http://, https:// or file://")]
    [InlineData("repository bare path", "use http://, https:// or file://")]
    [InlineData("repository twice", "is given twice")]
    [InlineData("repository key not armored", "armored OpenPGP public key")]
    [InlineData("package with a space", "is not a package")]
    [InlineData("package option", "is not a package")]
    [InlineData("file relative", "must be an absolute path in the image")]
    [InlineData("file dot-dot", "must be normalized")]
    [InlineData("file double slash", "must be normalized")]
    [InlineData("file trailing slash", "must be normalized")]
    [InlineData("file under /proc", "every session mounts afresh")]
    [InlineData("file under /dev", "every session mounts afresh")]
    [InlineData("file /sys", "every session mounts afresh")]
    [InlineData("file newline", "without control characters")]
    [InlineData("file without content", "has no content")]
    [InlineData("files too big", "at most 1024 KiB")]
    [InlineData("setup too big", "at most 64 KiB")]
    [InlineData("setup NUL", "NUL")]
    [InlineData("releasever", "releaseVersion")]
    public void A_broken_definition_is_refused_with_what_is_wrong(string name, string expected)
    {
        Directory.CreateDirectory(home["rootfs"]);
        File.WriteAllText(home["notes.txt"], "");
        var rootfs = home["rootfs"];
        PlaygroundImageDefinition Files(string path, string content = "x") => new(Rootfs: rootfs, Files: new Dictionary<string, string> { [path] = content });
        PlaygroundImageDefinition Repo(JobRepository repository) => new(Repositories: [repository], Packages: ["git"]);
        var definition = name switch
        {
            "nothing" => new PlaygroundImageDefinition(),
            "relative rootfs" => new(Rootfs: "images/rootfs"),
            "rootfs with ':'" => new(Rootfs: "/srv/a:b"),
            "rootfs with ','" => new(Rootfs: "/srv/a,upperdir=/etc"),
            "rootfs with a newline" => new(Rootfs: "/srv/a\nb"),
            "rootfs not normalized" => new(Rootfs: rootfs + "/../rootfs"),
            "rootfs is the host's root" => new(Rootfs: "/"),
            "rootfs missing" => new(Rootfs: home["missing"]),
            "rootfs a file but no archive" => new(Rootfs: home["notes.txt"]),
            "packages without repositories" => new(Packages: ["git"]),
            "repository id" => Repo(Repository with { Id = "bad id" }),
            "repository ftp url" => Repo(Repository with { Url = "ftp://repo.example.org/dist/" }),
            "repository bare path" => Repo(Repository with { Url = "/srv/repo" }),
            "repository twice" => new(Repositories: [Repository, Repository], Packages: ["git"]),
            "repository key not armored" => Repo(Repository with { GpgKey = "ABCDEF" }),
            "package with a space" => new(Repositories: [Repository], Packages: ["git vim"]),
            "package option" => new(Repositories: [Repository], Packages: ["--nogpgcheck"]),
            "file relative" => Files("etc/motd"),
            "file dot-dot" => Files("/etc/../../host"),
            "file double slash" => Files("/etc//motd"),
            "file trailing slash" => Files("/etc/motd/"),
            "file under /proc" => Files("/proc/sys/kernel/hostname"),
            "file under /dev" => Files("/dev/null"),
            "file /sys" => Files("/sys"),
            "file newline" => Files("/etc/mo\ntd"),
            "file without content" => Files("/etc/motd", null!),
            "files too big" => new(Rootfs: rootfs, Files: new Dictionary<string, string> { ["/a"] = new('a', 600 * 1024), ["/b"] = new('b', 600 * 1024) }),
            "setup too big" => new(Rootfs: rootfs, Setup: new string('#', 64 * 1024 + 1)),
            "setup NUL" => new(Rootfs: rootfs, Setup: "echo \0"),
            "releasever" => new(Rootfs: rootfs, ReleaseVersion: "24.03 LTS"),
            _ => throw new ArgumentException(name),
        };

        var problem = PlaygroundImageRules.FindProblem(definition);

        problem.ShouldNotBeNull(name);
        problem.ShouldContain(expected, Case.Sensitive, name);
    }

    [Fact]
    public void The_digest_is_the_same_for_the_same_definition_whatever_the_order_of_its_files()
    {
        var one = new PlaygroundImageDefinition(Rootfs: "/srv/rootfs", Files: new Dictionary<string, string> { ["/a"] = "1", ["/b"] = "2" });
        var other = new PlaygroundImageDefinition(Rootfs: "/srv/rootfs", Files: new Dictionary<string, string> { ["/b"] = "2", ["/a"] = "1" });

        PlaygroundImageRules.DigestOf(one).ShouldBe(PlaygroundImageRules.DigestOf(other));
        PlaygroundImageRules.DigestOf(one).ShouldMatch("^[0-9a-f]{64}$");
        PlaygroundImageRules.DigestOf(one with { Setup = "true" }).ShouldNotBe(PlaygroundImageRules.DigestOf(one));
        PlaygroundImageRules.DigestOf(one with { Files = new Dictionary<string, string> { ["/a"] = "1", ["/b"] = "3" } }).ShouldNotBe(PlaygroundImageRules.DigestOf(one));
        PlaygroundImageRules.DigestOf(one with { Rootfs = "/srv/other" }).ShouldNotBe(PlaygroundImageRules.DigestOf(one));
    }

    [Fact]
    public void A_replaced_rootfs_archive_has_a_new_digest_but_a_directory_is_only_its_path()
    {
        File.WriteAllText(home["rootfs.tar"], "first");
        Directory.CreateDirectory(home["rootfs"]);
        var archive = new PlaygroundImageDefinition(Rootfs: home["rootfs.tar"]);
        var directory = new PlaygroundImageDefinition(Rootfs: home["rootfs"]);
        var before = (PlaygroundImageRules.DigestOf(archive), PlaygroundImageRules.DigestOf(directory));

        File.WriteAllText(home["rootfs.tar"], "second, longer");
        File.SetLastWriteTimeUtc(home["rootfs.tar"], DateTime.UtcNow.AddMinutes(1));
        File.WriteAllText(home["rootfs/new-file"], "changed in place");

        PlaygroundImageRules.DigestOf(archive).ShouldNotBe(before.Item1);
        PlaygroundImageRules.DigestOf(directory).ShouldBe(before.Item2);
    }
}

using Forgeline.Images.Definitions;

namespace Forgeline.Images.Tests;

/// <summary>Image definitions in YAML: a full one reads back as written; each mistake is refused with what to change.</summary>
public sealed class ImageDefinitionReaderTests
{
    private const string Full = """
        name: tiny
        repositories:
          - id: base
            url: https://repo.openeuler.org/openEuler-24.03-LTS/OS/x86_64/
          - project: mytools
            chroot: openeuler-24.03-x86_64
        packages: [bash, coreutils, kernel, mytools]
        users:
          - name: tester
            password_hash: "$6$salt$hash"
            groups: [wheel]
        files:
          /etc/motd: "hello\n"
        setup: |
          echo ready > /etc/ready
        formats: [qcow2, rootfs, iso]
        kernel:
          package: kernel
          cmdline: console=tty0 console=ttyS0 quiet
        disk_size_mb: 512
        """;

    [Fact]
    public void A_full_definition_reads_back_as_written()
    {
        var image = ImageDefinitionReader.Read(Full, "tiny.yaml");

        image.Name.ShouldBe("tiny");
        image.Repositories.Select(r => r.Id ?? r.Project).ShouldBe(["base", "mytools"]);
        image.Repositories[1].Chroot.ShouldBe("openeuler-24.03-x86_64");
        image.Packages.ShouldBe(["bash", "coreutils", "kernel", "mytools"]);
        image.Users.Single().Groups.ShouldBe(["wheel"]);
        image.Files["/etc/motd"].ShouldBe("hello\n");
        image.Setup.ShouldBe("echo ready > /etc/ready\n");
        image.Formats.ShouldBe(["qcow2", "rootfs", "iso"]);
        image.Kernel.Cmdline.ShouldBe("console=tty0 console=ttyS0 quiet");
        image.DiskSizeMb.ShouldBe(512);
    }

    [Theory]
    [InlineData("name: tiny\nrepositories: [", "tiny.yaml: line")]
    [InlineData("", "the file is empty")]
    [InlineData("name: ../x\nrepositories: [{url: 'https://r/'}]\npackages: [a]", "is not an image name")]
    [InlineData("name: tiny\npackages: [a]", "needs repositories")]
    [InlineData("name: tiny\nrepositories: [{url: 'https://r/', project: p}]\npackages: [a]", "either a url or a project")]
    [InlineData("name: tiny\nrepositories: [{id: b, url: 'ftp://r/'}]\npackages: [a]", "ftp")]
    [InlineData("name: tiny\nrepositories: [{project: p}, {project: p}]\npackages: [a]", "given twice")]
    [InlineData("name: tiny\nrepositories: [{project: p}]", "needs packages")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: ['--nogpgcheck']", "not a package")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nformats: [vmdk]", "formats must be some of qcow2, raw, rootfs, iso")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nusers: [{name: Root}]", "not a login name")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nusers: [{name: tester, password_hash: secret}]", "never a password")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nfiles: {'etc/motd': x}", "absolute path")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nfiles: {'/etc/../../x': x}", "without '..'")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\ndisk_size_mb: 1", "disk_size_mb is 64")]
    [InlineData("name: tiny\nrepositories: [{project: p}]\npackages: [a]\nunknown_key: 1", "line 4")]
    public void A_broken_definition_is_refused_with_what_to_change(string yaml, string expected)
    {
        Should.Throw<ImageDefinitionException>(() => ImageDefinitionReader.Read(yaml, "tiny.yaml")).Message.ShouldContain(expected);
    }

    [Fact]
    public void A_key_file_next_to_the_definition_is_inlined_and_a_missing_one_is_named()
    {
        var directory = Directory.CreateTempSubdirectory("fl-keys-").FullName;
        try
        {
            const string Key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n";
            File.WriteAllText(Path.Combine(directory, "base.asc"), Key);
            const string Yaml = "name: tiny\nrepositories: [{id: base, url: 'https://r/', gpg_key: base.asc}, {project: p}]\npackages: [a]\n";

            var inlined = ImageDefinitionReader.InlineKeys(Yaml, "tiny.yaml", directory);

            ImageDefinitionReader.Read(inlined, "tiny.yaml").Repositories[0].GpgKey.ShouldBe(Key);
            Should.Throw<ImageDefinitionException>(() => ImageDefinitionReader.InlineKeys(Yaml.Replace("base.asc", "gone.asc", StringComparison.Ordinal), "tiny.yaml", directory))
                .Message.ShouldContain("gpg_key gone.asc: there is no such file");
            ImageDefinitionReader.InlineKeys(Yaml.Replace("base.asc", Path.Combine(directory, "base.asc"), StringComparison.Ordinal), "tiny.yaml", "/").ShouldContain("BEGIN PGP PUBLIC KEY BLOCK");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

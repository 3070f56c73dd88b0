using System.Text.Json;
using Forgeline.Core;
using Forgeline.Images.Build;
using Forgeline.Images.Definitions;
using Forgeline.Testing;
using Forgeline.Testing.Images;
using Xunit.Abstractions;

namespace Forgeline.Images.Tests;

/// <summary>
/// The image packer on a real root installed with dnf from the tiny distribution (Debian's kernel, busybox and rpm as
/// signed RPMs), its output checked with the tools people use on images: qemu-img, sfdisk, mtools, debugfs, tar,
/// xorriso, cpio. No VM is booted here.
/// </summary>
public sealed class ImagePackerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory temp = new("forgeline-image-pack");
    private readonly List<string> log = [];

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Packs_a_root_into_every_format_and_the_direct_boot_pair_that_real_tools_accept()
    {
        var root = await InstallAsync(TinyDistribution.ImagePackages);
        var definition = TinyImage.Definition("qcow2", "raw", "rootfs", "iso");
        definition.Kernel.Cmdline = "console=tty0 console=ttyS0 loglevel=4";
        var files = await PackAsync(definition, root);

        files.Select(f => f.Kind).Order().ShouldBe(["initrd", "iso", "qcow2", "raw", "rootfs", "vmlinux"]);
        foreach (var file in files)
        {
            Path.GetDirectoryName(file.Path).ShouldBe(temp["out"]);
            new FileInfo(file.Path).Length.ShouldBe(file.Size);
            (await Sha256Hex.OfFileAsync(file.Path)).ShouldBe(file.Sha256);
        }

        Directory.GetFiles(temp["out"]).Length.ShouldBe(6);
        log.ShouldContain(l => l.StartsWith("raw disk", StringComparison.Ordinal) && l.EndsWith(" s", StringComparison.Ordinal));

        var qcow2 = Kind(files, "qcow2");
        using var info = JsonDocument.Parse(await Run("qemu-img", "info", "--output=json", qcow2));
        info.RootElement.GetProperty("format").GetString().ShouldBe("qcow2");
        info.RootElement.GetProperty("virtual-size").GetInt64().ShouldBe(128L * 1024 * 1024);
        (await Run("qemu-img", "check", qcow2)).ShouldContain("No errors were found");

        var raw = Kind(files, "raw");
        (await Run("file", raw)).ShouldContain("DOS/MBR boot sector");
        using var table = JsonDocument.Parse(await Run("sfdisk", "--json", raw));
        var partitions = table.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToList();
        partitions.Count.ShouldBe(2);
        partitions[0].GetProperty("type").GetString().ShouldBe("6");
        partitions[0].GetProperty("bootable").GetBoolean().ShouldBeTrue();
        partitions[1].GetProperty("type").GetString().ShouldBe("83");

        // Partition 1: syslinux, the kernel and stage 1, booting root= the ext4 partition with the definition's command line.
        var bootOffset = partitions[0].GetProperty("start").GetInt64() * 512;
        var mtools = new Dictionary<string, string?> { ["MTOOLS_SKIP_CHECK"] = "1" };
        var bootFiles = await Run("mdir", ["-a", "-b", "-i", $"{raw}@@{bootOffset}", "::/"], mtools);
        bootFiles.ShouldContain("ldlinux.sys", Case.Insensitive);
        bootFiles.ShouldContain("vmlinuz", Case.Insensitive);
        bootFiles.ShouldContain("initrd", Case.Insensitive);
        (await Run("mtype", ["-i", $"{raw}@@{bootOffset}", "::/syslinux.cfg"], mtools))
            .ShouldContain("APPEND console=tty0 console=ttyS0 loglevel=4 root=/dev/vda2 rootfstype=ext4");

        // Partition 2: the root as ext4, owned by root.
        var ext4 = temp["root.ext4"];
        var start = partitions[1].GetProperty("start").GetInt64();
        var size = partitions[1].GetProperty("size").GetInt64();
        await Run("dd", $"if={raw}", $"of={ext4}", "bs=512", $"skip={start}", $"count={size}", "conv=sparse", "status=none");
        var stat = await Run("debugfs", "-R", "stat /usr/bin/rpm", ext4);
        stat.ShouldMatch(@"User:\s+0\s+Group:\s+0");
        (await Run("debugfs", "-R", "cat /etc/fl-release", ext4)).ShouldContain("forgeline-test 1");
        (await Run("e2fsck", "-fn", ext4)).ShouldContain("flroot");

        var listing = await Run("tar", "-tvzf", Kind(files, "rootfs"), "--numeric-owner");
        listing.Split('\n').ShouldContain(l => l.EndsWith(" ./usr/bin/rpm", StringComparison.Ordinal) && l.Contains(" 0/0 ", StringComparison.Ordinal));
        listing.ShouldContain("./boot/vmlinuz-");
        listing.ShouldNotContain("./var/cache/forgeline-dnf", Case.Sensitive, "dnf's cache is not part of the image");

        var iso = await Run("xorriso", "-indev", Kind(files, "iso"), "-find", "/", "-type", "f");
        iso.ShouldContain("'/isolinux/isolinux.bin'");
        iso.ShouldContain("'/vmlinuz'");
        iso.ShouldContain("'/initrd'");
        (await Run("file", Kind(files, "iso"))).ShouldContain("ISO 9660");
        await Run("xorriso", "-osirrox", "on", "-indev", Kind(files, "iso"), "-extract", "/isolinux/isolinux.cfg", temp["isolinux.cfg"]);
        (await File.ReadAllTextAsync(temp["isolinux.cfg"])).ShouldContain("APPEND console=tty0 console=ttyS0 loglevel=4 panic=-1");

        (await Run("file", Kind(files, "vmlinux"))).ShouldContain("ELF 64-bit LSB executable, x86-64");

        var initrd = await Run("sh", "-c", "cpio -itv --quiet < \"$1\"", "list", Kind(files, "initrd"));
        foreach (var name in new[] { "init", ".fl-stage1/busybox", ".fl-stage1/modules/virtio_blk.ko", ".fl-stage1/modules/virtio_pci.ko", ".fl-stage1/modules/ext4.ko", ".fl-stage1/modules/crc32c_generic.ko", ".fl-stage1/modules/bochs.ko" })
        {
            initrd.Split('\n').ShouldContain(l => l.EndsWith(" " + name, StringComparison.Ordinal), $"{name} in the initrd");
        }

        initrd.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(l => l.Contains(" root ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Adds_users_and_files_and_runs_the_setup_script_as_root_inside_the_image_without_network()
    {
        var root = await InstallAsync(["fl-base"]);
        var outside = Path.Combine(Path.GetTempPath(), $"forgeline-escape-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "escape"), outside);
        var definition = new ImageDefinition
        {
            Name = "custom",
            Formats = ["rootfs"],
            Users = [new ImageUser { Name = "alice", PasswordHash = "$6$salt$hash", Groups = ["wheel"] }, new ImageUser { Name = "root", PasswordHash = "$6$r$root" }],
            Files = new() { ["/etc/motd"] = "hello from forgeline\n", ["/opt/fl/config.txt"] = "a=1\n", ["/etc/escape/x"] = "inside\n" },
            Setup = """
                echo "uid=$(id -u)" > /root/setup.txt
                grep -q '^alice:' /etc/passwd && cat /etc/motd >> /root/setup.txt
                sed -n 's/^ *\([^:]*\):.*/\1/p' /proc/net/dev > /root/interfaces.txt
                if wget -q -T 3 -O /dev/null http://1.1.1.1/ 2>/dev/null; then echo connected; else echo no-connection; fi > /root/connect.txt
                """,
        };

        var files = await PackAsync(definition, root);

        files.Select(f => f.Kind).ShouldBe(["rootfs"]); // no kernel in this root, and only a tarball asked for
        var tarball = files[0].Path;
        async Task<string> Read(string path) => await Run("tar", "-xzOf", tarball, "." + path);
        (await Read("/etc/passwd")).ShouldContain("alice:x:1000:1000:alice:/home/alice:/bin/sh\n");
        (await Read("/etc/shadow")).ShouldContain("alice:$6$salt$hash:");
        (await Read("/etc/shadow")).ShouldContain("root:$6$r$root:");
        (await Read("/etc/shadow")).ShouldNotContain("root:!:");
        (await Read("/etc/group")).ShouldContain("wheel:x:900:alice\n");
        (await Read("/opt/fl/config.txt")).ShouldBe("a=1\n");
        (await Read("/root/setup.txt")).ShouldBe("uid=0\nhello from forgeline\n");
        (await Read("/root/interfaces.txt")).ShouldBe("lo\n");
        (await Read("/root/connect.txt")).ShouldBe("no-connection\n");
        (await Read("/tmp/" + Path.GetFileName(outside) + "/x")).ShouldBe("inside\n");
        File.Exists(Path.Combine(outside, "x")).ShouldBeFalse("a symlink in the root must not lead a file outside it");
        (await Run("tar", "-tvzf", tarball, "--numeric-owner", "./etc/shadow")).ShouldStartWith("-rw------- 0/0 ");
    }

    [Fact]
    public async Task A_root_without_kernel_fails_with_the_reason_and_leaves_no_output()
    {
        var root = await InstallAsync(["fl-base"]);

        var error = await Should.ThrowAsync<ImageBuildException>(PackAsync(TinyImage.Definition("qcow2"), root));

        error.Message.ShouldBe("the root has no kernel: /boot/vmlinuz-* not found (add the kernel package to the image's packages, or set kernel.package)");
        NothingLeft();
    }

    [Fact]
    public async Task A_setup_script_that_fails_stops_the_build_naming_its_exit_status_and_leaves_no_output()
    {
        var root = await InstallAsync(TinyDistribution.ImagePackages);
        var definition = TinyImage.Definition("qcow2", "rootfs");
        definition.Setup = "echo 'configuring the image'\necho 'cannot find the service' >&2\nexit 3\n";

        var error = await Should.ThrowAsync<ImageBuildException>(PackAsync(definition, root));

        error.Message.ShouldBe("the setup script failed with exit status 3: cannot find the service");
        log.ShouldContain("setup: configuring the image");
        NothingLeft();
    }

    [Fact]
    public async Task A_missing_tool_is_named_with_the_package_that_has_it_before_anything_is_done()
    {
        var root = await InstallAsync(["fl-base"]);
        // A PATH like the host's but without xorriso, as on a worker where it was never installed.
        var bin = temp["bin"];
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "/usr/bin", "/usr/sbin" }.SelectMany(Directory.EnumerateFiles).Where(t => Path.GetFileName(t) != "xorriso"))
        {
            var link = Path.Combine(bin, Path.GetFileName(tool));
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, tool);
            }
        }

        var definition = TinyImage.Definition("qcow2", "iso");
        definition.Setup = "touch /setup-ran";
        var error = await Should.ThrowAsync<ImageBuildException>(new ImagePacker(bin).PackAsync(definition, root, temp["out"], temp["work"], Log, CancellationToken.None));

        error.Message.ShouldBe("xorriso is not installed on this worker: install the Debian package xorriso (scripts/install-deps does)");
        log.ShouldBeEmpty();
        File.Exists(Path.Combine(root, "setup-ran")).ShouldBeFalse("the root is left as it was");
        NothingLeft();
    }

    [Fact]
    public async Task The_tiny_image_fixture_gives_a_bootable_disk_with_its_direct_boot_pair()
    {
        var image = await TinyImage.BuildAsync();
        output.WriteLine($"tiny image built in {image.BuildTime.TotalSeconds:0.00} s");

        image.Files.Select(f => f.Kind).Order().ShouldBe(["initrd", "iso", "qcow2", "vmlinux"]);
        (await Run("qemu-img", "check", image.Qcow2)).ShouldContain("No errors were found");
        var vmlinux = image.Files.Single(f => f.Kind == "vmlinux").Sha256;
        (await Sha256Hex.OfFileAsync(image.Vmlinux)).ShouldBe(vmlinux);
        Directory.GetFiles(TinyImage.KernelCache, "vmlinux-*").ShouldContain(f => Sha256Hex.OfFileAsync(f, default).Result == vmlinux, "the extracted kernel is kept for the next build");
        image.Log.ShouldContain(l => l.StartsWith("stage 1 loads ", StringComparison.Ordinal) && l.Contains("virtio_blk.ko", StringComparison.Ordinal));
        Directory.GetFiles(image.Distribution.UpdatesRepositoryPath, "fl-hello-1.1-1.noarch.rpm", SearchOption.AllDirectories).ShouldNotBeEmpty();
        Directory.GetFiles(image.Distribution.RepositoryPath, "fl-hello-1.1-1.noarch.rpm", SearchOption.AllDirectories).ShouldBeEmpty();
    }


    private static string Kind(IReadOnlyList<ImageFile> files, string kind) => files.Single(f => f.Kind == kind).Path;

    private static Task<string> Run(string tool, params string[] args) => Run(tool, args, null);

    private static async Task<string> Run(string tool, string[] args, IDictionary<string, string?>? environment)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(tool, args, environment: environment);
        code.ShouldBe(0, $"{tool} {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    private async Task<string> InstallAsync(IReadOnlyList<string> packages)
    {
        var distribution = await TinyDistribution.GetAsync();
        var root = temp["root"];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await distribution.InstallAsync(root, temp["dnf"], packages);
        output.WriteLine($"distribution ready in {distribution.BuildTime.TotalSeconds:0.00} s (once per process); dnf installed {string.Join(' ', packages)} in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s");
        return root;
    }

    private Task<IReadOnlyList<ImageFile>> PackAsync(ImageDefinition definition, string root) =>
        new ImagePacker().PackAsync(definition, root, temp["out"], temp["work"], Log, CancellationToken.None);

    private Task Log(string line)
    {
        lock (log)
        {
            log.Add(line);
            output.WriteLine(line);
        }

        return Task.CompletedTask;
    }

    private void NothingLeft()
    {
        (!Directory.Exists(temp["out"]) || Directory.GetFileSystemEntries(temp["out"]).Length == 0).ShouldBeTrue("nothing in the output directory");
        (!Directory.Exists(temp["work"]) || Directory.GetFileSystemEntries(temp["work"]).Length == 0).ShouldBeTrue("the build's own directory is removed");
    }
}

using Forgeline.Testing;
using Forgeline.Worker.Dependencies;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests.Dependencies;

/// <summary>What the build is shown of an unpacked dependency root, decided without running anything.</summary>
public sealed class BuildDependencyRootTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-deproot");

    public void Dispose() => work.Dispose();

    [Fact]
    public void Usr_and_etc_are_overlaid_opt_bound_read_only_the_rest_left_out_and_the_library_directory_searched()
    {
        var root = new BuildDependencyRoot(work.Path);
        root.Create();
        foreach (var dir in new[] { "usr/lib64/pkgconfig", "usr/include", "etc", "opt/tool", "var/lib/thing" })
        {
            Directory.CreateDirectory(Path.Combine(root.Root, dir));
        }

        var leftOut = root.Expose();
        var request = root.Apply(Sandboxed.Request(work.Path, ["true"]) with
        {
            Binds = [new SandboxBind("/srv/ccache", "/ccache")],
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/lib/ccache:/usr/bin" },
        });

        leftOut.ShouldBe(["/var"]);
        request.Overlays.ShouldBe([
            new SandboxOverlay(Path.Combine(root.Root, "etc"), "/etc", Path.Combine(root.Directory, "merged", "etc")),
            new SandboxOverlay(Path.Combine(root.Root, "usr"), "/usr", Path.Combine(root.Directory, "merged", "usr"))]);
        request.Binds.ShouldBe([
            new SandboxBind("/srv/ccache", "/ccache"),
            new SandboxBind(root.Directory, "/build/deps", ReadOnly: true),
            new SandboxBind(Path.Combine(root.Root, "opt"), "/opt", ReadOnly: true)]);
        request.Environment!["PATH"].ShouldBe("/usr/lib/ccache:/usr/bin");
        request.Environment["LIBRARY_PATH"].ShouldBe("/usr/lib64");
        request.Environment["LD_LIBRARY_PATH"].ShouldBe("/usr/lib64");
        request.Environment["PKG_CONFIG_PATH"].ShouldBe("/usr/lib64/pkgconfig");
        foreach (var overlay in request.Overlays!)
        {
            Directory.Exists(overlay.MountPoint).ShouldBeTrue();
        }
    }

    [Fact]
    public void The_hosts_merged_usr_links_are_in_the_root_so_bin_files_land_in_usr_bin_and_are_not_reported()
    {
        var root = new BuildDependencyRoot(work.Path);
        root.Create();

        foreach (var name in new[] { "bin", "sbin", "lib", "lib64" }.Where(n => new DirectoryInfo("/" + n).LinkTarget == $"usr/{n}"))
        {
            new DirectoryInfo(Path.Combine(root.Root, name)).LinkTarget.ShouldBe($"usr/{name}");
        }

        root.Expose().ShouldBeEmpty();
        root.Apply(Sandboxed.Request(work.Path, ["true"])).Environment!.ContainsKey("LIBRARY_PATH").ShouldBeFalse();
    }

    [Fact]
    public void A_file_where_opt_should_be_is_refused()
    {
        var root = new BuildDependencyRoot(work.Path);
        root.Create();
        File.WriteAllText(Path.Combine(root.Root, "opt"), "not a directory");

        Should.Throw<JobFailedException>(root.Expose).Message.ShouldBe("the build dependencies make /opt a file, not a directory; fix the package that ships it");
    }

    [Fact]
    public void A_work_directory_overlayfs_cannot_take_is_the_workers_error_not_the_packages()
    {
        var root = new BuildDependencyRoot(work["build:1"]);

        var error = Should.Throw<JobErrorException>(root.Create);

        error.Message.ShouldContain("contains ',', ':' or '\\'");
        error.Message.ShouldEndWith("start the worker with a --work-dir without them");
        Directory.Exists(root.Directory).ShouldBeFalse();
    }
}

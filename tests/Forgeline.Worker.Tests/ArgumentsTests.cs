using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>The bwrap command line, without running it.</summary>
public sealed class ArgumentsTests
{
    private static SandboxRequest Request(bool network) =>
        new("/srv/work/build-1", ["rpmbuild", "--rebuild", "x.src.rpm"], network, TimeSpan.FromMinutes(1), 1000);

    [Fact]
    public void Without_network_every_namespace_is_unshared_and_the_network_is_not_shared_back()
    {
        var args = BubblewrapSandbox.Arguments(Request(network: false));

        args.ShouldContain("--unshare-all");
        args.ShouldNotContain("--share-net");
        args.ShouldContain("--clearenv");
        args.ShouldContain("--die-with-parent");
    }

    [Fact]
    public void With_network_the_namespaces_are_still_unshared_but_the_network_is_shared()
    {
        var args = BubblewrapSandbox.Arguments(Request(network: true));

        args.ShouldContain("--unshare-all");
        args.ShouldContain("--share-net");
    }

    [Fact]
    public void The_work_directory_is_the_only_read_write_bind_and_the_command_comes_last_after_the_separator()
    {
        var args = BubblewrapSandbox.Arguments(Request(network: false)).ToList();

        var bind = args.IndexOf("--bind");
        bind.ShouldBeGreaterThan(-1);
        args[bind + 1].ShouldBe("/srv/work/build-1");
        args[bind + 2].ShouldBe("/build");
        args.Count(a => a is "--bind" or "--bind-try" or "--dev-bind" or "--dev-bind-try").ShouldBe(1);

        var separator = args.IndexOf("--");
        separator.ShouldBeGreaterThan(bind);
        args.TakeLast(3).ShouldBe(["rpmbuild", "--rebuild", "x.src.rpm"]);
    }

    [Fact]
    public void Extra_binds_and_variables_come_only_when_asked_and_a_variable_can_replace_the_default_path()
    {
        var request = Request(network: false) with
        {
            Binds = [new SandboxBind("/srv/cache/ccache-debian-12", "/ccache")],
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/lib/ccache:/usr/bin:/bin", ["CCACHE_DIR"] = "/ccache" },
        };

        var args = BubblewrapSandbox.Arguments(request).ToList();

        args.Count(a => a == "--bind").ShouldBe(2);
        var cache = args.LastIndexOf("--bind");
        args.Skip(cache + 1).Take(2).ShouldBe(["/srv/cache/ccache-debian-12", "/ccache"]);
        var variables = Enumerable.Range(0, args.Count).Where(i => args[i] == "--setenv").ToDictionary(i => args[i + 1], i => args[i + 2]);
        variables["PATH"].ShouldBe("/usr/lib/ccache:/usr/bin:/bin");
        variables["CCACHE_DIR"].ShouldBe("/ccache");
        variables["HOME"].ShouldBe("/build");
        args.IndexOf("--clearenv").ShouldBeLessThan(args.IndexOf("--setenv"));
    }

    [Fact]
    public void A_read_only_bind_is_mounted_read_only()
    {
        var request = Request(network: false) with { Binds = [new SandboxBind("/srv/work/build-1/deps", "/build/deps", ReadOnly: true)] };

        var args = BubblewrapSandbox.Arguments(request).ToList();

        var bind = args.LastIndexOf("/srv/work/build-1/deps");
        args[bind - 1].ShouldBe("--ro-bind");
        args[bind + 1].ShouldBe("/build/deps");
    }

    [Fact]
    public void Without_overlays_bwrap_itself_is_started_with_the_hosts_usr()
    {
        var request = Request(network: false);

        var (file, args) = new BubblewrapSandbox("/usr/bin/bwrap").CommandLine(request);

        file.ShouldBe("/usr/bin/bwrap");
        args.ShouldBe(BubblewrapSandbox.Arguments(request));
        Pair(args, "--ro-bind", "/usr").ShouldBe("/usr");
    }

    [Fact]
    public void With_overlays_unshare_mounts_them_in_a_private_namespace_then_execs_bwrap_which_binds_the_merged_trees()
    {
        var request = Request(network: false) with
        {
            Overlays = [new SandboxOverlay("/srv/work/build-1/deps/root/usr", "/usr", "/srv/work/build-1/deps/merged/usr")],
        };

        var (file, args) = new BubblewrapSandbox("/usr/bin/bwrap").CommandLine(request);

        file.ShouldBe("unshare");
        args.ShouldContain("--mount");
        args.Skip(args.ToList().IndexOf("--propagation")).Take(2).ShouldBe(["--propagation", "private"]);
        var separator = args.ToList().IndexOf("/srv/work/build-1/deps/root/usr over /usr");
        args.Skip(separator).Take(5).ShouldBe(["/srv/work/build-1/deps/root/usr over /usr", "lowerdir=/srv/work/build-1/deps/root/usr:/usr,nosuid,nodev", "/srv/work/build-1/deps/merged/usr", "--", "/usr/bin/bwrap"]);
        var bwrapArgs = args.Skip(separator + 5).ToList();
        bwrapArgs.ShouldBe(BubblewrapSandbox.Arguments(request));
        Pair(bwrapArgs, "--ro-bind", "/usr").ShouldBe("/srv/work/build-1/deps/merged/usr");
        Pair(bwrapArgs, "--ro-bind", "/etc").ShouldBe("/etc");
    }

    [Theory]
    [InlineData("/srv/layer", "/var", "/srv/mnt", "can only go over /usr or /etc")]
    [InlineData("/srv/la:yer", "/usr", "/srv/mnt", "must be absolute and free of")]
    [InlineData("/srv/layer", "/usr", "/srv/m,nt", "must be absolute and free of")]
    [InlineData("layer", "/usr", "/srv/mnt", "must be absolute and free of")]
    public void An_overlay_that_cannot_be_mounted_safely_is_refused(string layer, string target, string mountPoint, string message)
    {
        var request = Request(network: false) with { Overlays = [new SandboxOverlay(layer, target, mountPoint)] };

        Should.Throw<ArgumentException>(() => new BubblewrapSandbox().CommandLine(request)).Message.ShouldContain(message);
    }

    /// <summary>The source of the bind (<paramref name="option"/> SOURCE <paramref name="destination"/>).</summary>
    private static string Pair(IReadOnlyList<string> args, string option, string destination) =>
        Enumerable.Range(1, args.Count - 2).Where(i => args[i - 1] == option && args[i + 1] == destination).Select(i => args[i]).Single();
}

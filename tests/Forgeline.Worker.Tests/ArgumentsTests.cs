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
}

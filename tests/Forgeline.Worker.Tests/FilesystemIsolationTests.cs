using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>
/// Inside the sandbox the host's system is read-only, the host's private places are absent, /tmp is private and only the
/// work directory, at /build, is shared read-write.
/// </summary>
public sealed class FilesystemIsolationTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");
    private readonly TempDirectory outside = new("forgeline-outside");

    public void Dispose()
    {
        work.Dispose();
        outside.Dispose();
    }

    [Theory]
    [InlineData("/usr")]
    [InlineData("/usr/bin")]
    [InlineData("/etc")]
    public async Task Writing_into_the_hosts_system_directories_fails(string directory)
    {
        var path = $"{directory}/forgeline-write-{Guid.NewGuid():N}";
        try
        {
            var (result, output) = await Sandboxed.ShAsync(work.Path, $"if echo pwned > {path}; then echo WROTE; else echo REFUSED; fi");

            result.Succeeded.ShouldBeTrue(output.Text);
            output.Text.ShouldContain("Read-only file system");
            output.Text.ShouldEndWith("REFUSED\n");
            File.Exists(path).ShouldBeFalse();
        }
        finally
        {
            // Should the sandbox ever let the write through, the host is not left with the file.
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Changing_or_deleting_an_existing_host_file_fails_and_leaves_it_unchanged()
    {
        // A file of the test's own, not a real system file: a broken sandbox must not damage the machine running the tests.
        var path = $"/etc/forgeline-probe-{Guid.NewGuid():N}";
        await File.WriteAllTextAsync(path, "original\n");
        try
        {
            var (result, output) = await Sandboxed.ShAsync(work.Path, $"cat {path}; echo pwned >> {path}; echo append=$?; rm -f {path}; echo rm=$?");

            result.Succeeded.ShouldBeTrue(output.Text);
            output.Text.ShouldStartWith("original\n");
            output.Text.ShouldContain("Read-only file system");
            output.Text.ShouldNotContain("append=0");
            output.Text.ShouldNotContain("rm=0");
            (await File.ReadAllTextAsync(path)).ShouldBe("original\n");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_hosts_home_directories_the_checkout_and_the_hosts_var_are_not_visible()
    {
        // Each exists on the host, so "absent" inside is the sandbox's doing.
        string[] places = ["/root", "/home", "/work", "/var/lib/dpkg", ForgelineBinary.RepositoryRoot, AppContext.BaseDirectory];
        foreach (var place in places)
        {
            Path.Exists(place).ShouldBeTrue($"{place} should exist on the host for this test to mean anything");
        }

        var script = string.Join("; ", places.Select(p => $"if [ -e '{p}' ]; then echo 'VISIBLE {p}'; else echo 'absent {p}'; fi"));
        var (result, output) = await Sandboxed.ShAsync(work.Path, script);

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldBe(string.Concat(places.Select(p => $"absent {p}\n")));
    }

    [Fact]
    public async Task A_secret_file_outside_the_work_directory_cannot_be_read()
    {
        var secret = outside["secret.txt"];
        var value = Sandboxed.UniqueMarker();
        await File.WriteAllTextAsync(secret, value);

        var (result, output) = await Sandboxed.ShAsync(work.Path, $"cat '{secret}'; ls -la '{outside.Path}'; echo done");

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldEndWith("done\n");
        output.Text.ShouldContain("No such file or directory");
        output.Text.ShouldNotContain(value);
    }

    [Fact]
    public async Task The_hosts_password_hashes_are_hidden_though_etc_is_visible()
    {
        File.Exists("/etc/shadow").ShouldBeTrue("this test needs a host with /etc/shadow");
        var (result, output) = await Sandboxed.ShAsync(work.Path, "cat /etc/shadow; echo; head -c 4 /etc/passwd; echo; echo done");

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldEndWith("\nroot\ndone\n", customMessage: "/etc/passwd stays readable");
        output.Text.ShouldNotContain("root:", customMessage: "the shadow file's entries must not be readable");
    }

    [Fact]
    public async Task A_file_written_to_tmp_inside_is_not_in_the_hosts_tmp()
    {
        var name = $"forgeline-inside-{Guid.NewGuid():N}";
        try
        {
            var (result, output) = await Sandboxed.ShAsync(work.Path, $"echo inside > /tmp/{name} && cat /tmp/{name}");

            result.Succeeded.ShouldBeTrue(output.Text);
            output.Text.ShouldBe("inside\n");
            File.Exists(Path.Combine("/tmp", name)).ShouldBeFalse();
        }
        finally
        {
            File.Delete(Path.Combine("/tmp", name));
        }
    }

    [Fact]
    public async Task A_file_in_the_hosts_tmp_is_not_visible_inside()
    {
        var path = Path.Combine("/tmp", $"forgeline-host-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, "host");
        try
        {
            var (result, output) = await Sandboxed.ShAsync(work.Path, $"if [ -e {path} ]; then echo VISIBLE; else echo absent; fi; ls -A /tmp | wc -l");

            result.Succeeded.ShouldBeTrue(output.Text);
            output.Text.ShouldBe("absent\n0\n");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_work_directory_is_mounted_read_write_at_build_and_is_the_current_directory()
    {
        await File.WriteAllTextAsync(work["from-host.txt"], "written by the host\n");

        var (result, output) = await Sandboxed.ShAsync(work.Path, "pwd; cat /build/from-host.txt; mkdir -p /build/out/deep && echo 'written inside' > out/deep/file.txt && rm /build/from-host.txt && echo ok");

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldBe("/build\nwritten by the host\nok\n");
        (await File.ReadAllTextAsync(work["out/deep/file.txt"])).ShouldBe("written inside\n");
        File.Exists(work["from-host.txt"]).ShouldBeFalse();
    }
}

using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>The sandbox is usable for what it is for: rpmbuild of a real package, with no network and a private /tmp.</summary>
public sealed class RpmbuildTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");
    private readonly TempDirectory specs = new("forgeline-specs");

    public void Dispose()
    {
        work.Dispose();
        specs.Dispose();
    }

    [Fact]
    public async Task Rpmbuild_of_a_spec_directory_copied_into_the_work_directory_produces_an_rpm_there()
    {
        var name = $"fl-sandboxed-{Guid.NewGuid():N}"[..24];
        var source = TestPackages.WriteSpecDirectory(specs.Path, name, version: "2.5", buildScript: "echo building inside the sandbox; test ! -e /root && echo no-root-here");
        var copy = work[name];
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var request = Sandboxed.Request(work.Path, ["rpmbuild", "-bb", "--nodeps", "--define", "_topdir /build/top", "--define", "_tmppath /tmp",
            "--define", $"_sourcedir /build/{name}", $"/build/{name}/{name}.spec"]);
        var (result, output) = await Sandboxed.RunAsync(request);

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldContain("building inside the sandbox\n");
        output.Text.ShouldContain("no-root-here\n");
        var rpm = work[$"top/RPMS/noarch/{name}-2.5-1.noarch.rpm"];
        File.Exists(rpm).ShouldBeTrue(output.Text);
        output.Text.ShouldContain($"Wrote: /build/top/RPMS/noarch/{name}-2.5-1.noarch.rpm");

        // The host's rpm reads it back: a real package with the file the spec installs.
        var (code, files, stderr) = await ProcessRunner.RunAsync("rpm", ["-qpl", rpm], timeout: Sandboxed.Patience);
        code.ShouldBe(0, stderr);
        files.Trim().ShouldBe($"/usr/share/{name}/{name}.txt");
    }
}

using Forgeline.Core.Workers;
using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// A user's whole path through build roots: a target made with the CLI from the test distribution (real signed RPMs),
/// a project that builds for it, the server's own worker building each package in a clean root from the target and the
/// project's repository, and what the build page, the CLI and the package list artifact say about the root.
/// </summary>
public sealed class BuildRootEndToEndTests
{
    [Fact]
    public async Task A_project_builds_for_a_target_in_clean_roots_from_the_distribution_and_its_own_repository()
    {
        var distribution = await TestDistribution.GetAsync();
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var made = await server.CliAsync("target", "create", "testdist-1", "--arch", "x86_64", "--repo", $"base={distribution.Url}",
            "--gpgkey", $"base={distribution.PublicKeyPath}", "--signed-metadata", "base", "--base-packages", TestDistribution.BuildsysPackage, "--dist-tag", ".td1");
        made.ExitCode.ShouldBe(0, made.Stderr);
        (await server.CliAsync("project", "create", "rooted", "--target", "testdist-1")).ExitCode.ShouldBe(0);

        // sib-data comes from the project; glibc-devel (fake-glibc-devel) only from the target's repository.
        var data = ProjectSpecs.Write(server.Home["in"], "sib-data", content: "hello from sib-data");
        var app = ProjectSpecs.Write(server.Home["in"], "sib-app", buildRequires: "sib-data, glibc-devel",
            buildScript: "cat /usr/share/sib-data/sib-data.txt /usr/include/fake-libc.h > content.txt; test ! -e /etc/debian_version && echo no-host-root >> content.txt");
        var broken = ProjectSpecs.Write(server.Home["in"], "sib-broken", buildRequires: "no-such-capability");
        foreach (var (name, dir) in new[] { ("sib-data", data), ("sib-app", app), ("sib-broken", broken) })
        {
            (await server.CliAsync("project", "add-package", "rooted", name, dir)).ExitCode.ShouldBe(0);
        }

        var built = await server.CliAsync("build", "--project", "rooted", "sib-data", "sib-app", "--follow");
        built.ExitCode.ShouldBe(0, built.Stdout + built.Stderr);

        using var client = server.Client();
        (await client.ListWorkersAsync()).Single().BuildRoots.ShouldBeTrue("the embedded worker has dnf: it says it builds roots");
        var batch = (await client.ListBatchesAsync("rooted")).Single();
        var appBuild = await client.GetBuildAsync(batch.Entries.Single(e => e.Package == "sib-app").BuildId!.Value);
        appBuild.Target.ShouldBe("testdist-1");
        appBuild.Package.ShouldBe("sib-app-1.0-1.td1");
        var root = appBuild.Root.ShouldNotBeNull();
        root.BaseCached.ShouldBeTrue("sib-data's build installed the base root; sib-app's reused it");
        root.BuildSeconds.ShouldNotBeNull();
        var list = appBuild.Artifacts.Single(a => a.Kind == JobRootReport.PackagesArtifactKind);
        list.Name.ShouldBe(JobRootReport.PackagesArtifactName);
        await client.DownloadArtifactAsync(list, server.Home["root-packages.txt"]);
        var packages = File.ReadAllLines(server.Home["root-packages.txt"]);
        packages.ShouldContain("sib-data-1.0-1.td1.noarch");
        packages.ShouldContain("fake-glibc-devel-2.38-1.noarch");
        packages.Length.ShouldBe(root.Packages);

        // The package itself shows it was built against both layers, and not on the host.
        var rpm = appBuild.Artifacts.Single(a => a.Kind == "rpm");
        await client.DownloadArtifactAsync(rpm, server.Home["sib-app.rpm"]);
        var extracted = await ProcessRunner.RunCheckedAsync("/bin/sh", "-c", $"rpm2cpio {server.Home["sib-app.rpm"]} | cpio -i --to-stdout --quiet './usr/share/sib-app/sib-app.txt'");
        extracted.ShouldContain("hello from sib-data");
        extracted.ShouldContain("fake-glibc-devel 2.38");
        extracted.ShouldContain("no-host-root");

        var shown = await server.CliAsync("builds", "show", appBuild.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        shown.ExitCode.ShouldBe(0, shown.Stderr);
        shown.Stdout.ShouldContain("testdist-1");
        shown.Stdout.ShouldContain(root.Digest[..12]);
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync(new Uri(server.Url, $"/builds/{appBuild.Id}"));
        page.ShouldContain("/api/v1/targets/testdist-1");
        page.ShouldContain(root.Digest[..12]);
        page.ShouldContain("package list");

        // A BuildRequires nothing provides: the planner leaves it to the root, and dnf's words fail the build.
        var failed = await server.CliAsync("build", "--project", "rooted", "sib-broken", "--follow");
        failed.ExitCode.ShouldBe(1, failed.Stdout);
        var brokenEntry = (await client.ListBatchesAsync("rooted"))[0].Entries.Single();
        var brokenBuild = await client.GetBuildAsync(brokenEntry.BuildId!.Value);
        brokenBuild.Reason.ShouldNotBeNull().ShouldContain("installing the");
        brokenBuild.Reason.ShouldContain("no-such-capability");
        (await client.GetProjectAsync("rooted")).Repositories.Single().Packages.ShouldBe(2, "nothing of the failed build is published");

        // A build without a target still works in one command, and says what it was built with.
        var hostBuild = await server.SubmitAsync(TestPackages.WriteSpecDirectory(server.Home["in"], "plainhost"));
        (await server.WaitForFinalAsync(hostBuild)).State.ShouldBe("succeeded");
        var hostShown = await server.CliAsync("builds", "show", hostBuild.ToString(System.Globalization.CultureInfo.InvariantCulture));
        hostShown.Stdout.ShouldContain("host toolchain, not isolated");
    }
}

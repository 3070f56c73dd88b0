using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Forgeline.Core.Client;
using Forgeline.Core.Targets;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Build targets through the CLI and HTTP, projects that build for them, and workers reading private repositories.</summary>
public sealed class BuildTargetTests
{
    [Fact]
    public async Task Targets_are_made_by_admins_used_by_projects_and_builds_and_guarded_against_deletion()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            ["Forgeline__Targets__fedora41__Arch"] = "aarch64",
            ["Forgeline__Targets__fedora41__Repositories__fedora__Url"] = "https://dl.fedoraproject.org/pub/fedora/linux/releases/41/Everything/aarch64/os/",
        });
        var macros = server.Home["target.macros"];
        File.WriteAllText(macros, "# openEuler\n%vendor openEuler\n");
        var made = await server.CliAsync("target", "create", "openEuler-24.03", "--arch", "x86_64", "--repo", "base=https://repo.example.org/OS/x86_64/",
            "--repo", "update=https://repo.example.org/update/x86_64/", "--macros", macros, "--dist-tag", ".oe2403", "--releasever", "24.03");
        made.ExitCode.ShouldBe(0, made.Stderr);
        made.Stdout.ShouldContain("openEuler-24.03");

        File.WriteAllText(macros, "%vendor openEuler\nvendor twice\n");
        var badMacros = await server.CliAsync("target", "create", "t2", "--arch", "x86_64", "--repo", "base=https://e.org/", "--macros", macros);
        badMacros.ExitCode.ShouldBe(2);
        badMacros.Stderr.ShouldContain("line 2 ('vendor twice'): a macro line starts with %");
        var badArch = await server.CliAsync("target", "create", "t2", "--arch", "amd64", "--repo", "base=https://e.org/");
        badArch.ExitCode.ShouldBe(1);
        badArch.Stderr.ShouldContain("x86_64, aarch64, i686, ppc64le, s390x, riscv64, loongarch64, armv7hl");
        (await server.CliAsync("target", "create", "t2", "--arch", "x86_64", "--repo", "https://e.org/")).Stderr.ShouldContain("must be ID=URL");

        var listed = await server.CliAsync("--json", "target", "list");
        listed.ExitCode.ShouldBe(0, listed.Stderr);
        listed.Stdout.ShouldContain("\"source\": \"settings\"");
        using var admin = server.Client();
        (await admin.ListTargetsAsync()).Select(t => t.Name).ShouldBe(["fedora41", "openEuler-24.03"]);
        (await admin.GetTargetAsync("openEuler-24.03")).Macros["vendor"].ShouldBe("openEuler");

        var builder = (await admin.CreateTokenAsync(new CreateTokenRequest("builder", ["build"]))).Token;
        var notAdmin = await Should.ThrowAsync<ForgelineApiException>(() => server.Client(builder).PutTargetAsync("mine", new PutTargetRequest("x86_64", [new("base", "https://e.org/")])));
        notAdmin.Status.ShouldBe(HttpStatusCode.Forbidden);
        (await Should.ThrowAsync<ForgelineApiException>(() => admin.DeleteTargetAsync("fedora41"))).Status.ShouldBe(HttpStatusCode.Conflict);

        var project = await server.CliAsync(["project", "create", "oe-demo", "--target", "openEuler-24.03"], builder);
        project.ExitCode.ShouldBe(0, project.Stderr);
        (await admin.GetProjectAsync("oe-demo")).Repositories.Single().Url.ShouldBe("/repos/oe-demo/openEuler-24.03/");
        var unknown = await server.CliAsync(["project", "create", "nowhere", "--targets", "openEuler-24.03,no-such-target"], builder);
        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.ShouldContain("there is no build target 'no-such-target'");
        (await server.CliAsync(["project", "set", "oe-demo", "--targets", "fedora41,openEuler-24.03"], builder)).ExitCode.ShouldBe(0);
        (await admin.GetProjectAsync("oe-demo")).Chroots.ShouldBe(["fedora41", "openEuler-24.03"]);

        var inUse = await server.CliAsync("target", "delete", "openEuler-24.03");
        inUse.ExitCode.ShouldBe(1);
        inUse.Stderr.ShouldContain("still built for by project(s) oe-demo");

        var srpm = await TestPackages.MakeSrpmAsync(server.Home["in"], "hello");
        var id = await server.SubmitAsync(srpm, "--target", "fedora41");
        var build = await admin.GetBuildAsync(id);
        (build.Target, build.Arch).ShouldBe(("fedora41", "aarch64"));
        var shown = await server.CliAsync("builds", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        shown.ExitCode.ShouldBe(0, shown.Stderr);
        shown.Stdout.ShouldContain("fedora41");
        var mismatch = await server.CliAsync("build", srpm, "--target", "fedora41", "--arch", "x86_64");
        mismatch.ExitCode.ShouldBe(1);
        mismatch.Stderr.ShouldContain("target 'fedora41' builds for aarch64, not x86_64");
        var host = await admin.GetBuildAsync(await server.SubmitAsync(srpm));
        host.Target.ShouldBeNull();
        (await new HttpClient().GetStringAsync(new Uri(server.Url, $"/builds/{host.Id}"))).ShouldContain("host toolchain, not isolated");
        (await new HttpClient().GetStringAsync(new Uri(server.Url, $"/builds/{id}"))).ShouldContain("/api/v1/targets/fedora41");

        // A project's batch builds each package once per chroot, each for its target and the target's arch.
        (await server.CliAsync(["project", "add-package", "oe-demo", "pkg", ProjectSpecs.Write(server.Home["in"], "pkg")], builder)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["build", "--project", "oe-demo", "pkg"], builder)).ExitCode.ShouldBe(0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        List<(string?, string)> batch;
        do
        {
            await Task.Delay(100, timeout.Token);
            batch = (await admin.ListBuildsAsync(cancellationToken: timeout.Token)).Items.Where(b => b.Id != id && b.Target is not null).Select(b => (b.Target, b.Arch)).ToList();
        }
        while (batch.Count < 2);
        batch.Order().ShouldBe([("fedora41", "aarch64"), ("openEuler-24.03", "x86_64")]);
    }

    [Fact]
    public async Task A_worker_token_reads_a_private_projects_repository_with_basic_auth_and_nobody_else_does()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        using var admin = server.Client();
        var alice = (await admin.CreateTokenAsync(new CreateTokenRequest("alice", ["build"]))).Token;
        (await server.CliAsync(["project", "create", "secret", "--public", "false"], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "add-package", "secret", "pkg", ProjectSpecs.Write(server.Home["in"], "pkg")], alice)).ExitCode.ShouldBe(0);
        var built = await server.CliAsync(["build", "--project", "secret", "pkg", "--follow"], alice);
        built.ExitCode.ShouldBe(0, built.Stdout + built.Stderr);
        var chroot = (await server.Client(alice).GetProjectAsync("secret")).Repositories.Single().Chroot;
        var path = $"/repos/secret/{chroot}/repodata/repomd.xml";
        using (var owner = new HttpClient { BaseAddress = server.Url })
        {
            owner.DefaultRequestHeaders.Authorization = Basic(alice);
            (await owner.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, "published, and its owner reads it");
        }

        using var anonymous = new HttpClient { BaseAddress = server.Url };
        (await anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var worker = await server.CreateWorkerTokenAsync("reader");
        using var withWorker = new HttpClient { BaseAddress = server.Url };
        withWorker.DefaultRequestHeaders.Authorization = Basic(worker);
        (await withWorker.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withWorker.GetAsync($"/repos/secret/{chroot}.repo")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var outsider = (await admin.CreateTokenAsync(new CreateTokenRequest("outsider", ["build"]))).Token;
        foreach (var token in new[] { outsider, worker + "x", "flt_not-a-token" })
        {
            using var other = new HttpClient { BaseAddress = server.Url };
            other.DefaultRequestHeaders.Authorization = Basic(token);
            (await other.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, token == outsider ? "a build token of someone else" : "a wrong token");
        }

        (await server.Client(worker).ListProjectsAsync()).ShouldNotContain(p => p.Name == "secret", "the worker reads repositories, not private projects' settings");
    }

    private static AuthenticationHeaderValue Basic(string token) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"forgeline:{token}")));
}

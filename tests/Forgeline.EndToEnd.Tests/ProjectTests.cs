using System.Net;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Core.Client;
using Forgeline.Core.Projects;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Projects through the CLI and HTTP against a real server and worker: dependency order, publication, dnf, bad input.</summary>
public sealed class ProjectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_project_builds_in_dependency_order_against_its_own_packages_and_dnf_installs_from_its_signed_repository()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var created = await server.CliAsync("project", "create", "demo", "--dist-tag", ".fl1", "--description", "the demo");
        created.ExitCode.ShouldBe(0, created.Stderr);

        var data = ProjectSpecs.Write(server.Home["in"], "greet-data", content: "hello from greet-data");
        // The app's build reads the data package's file: it only succeeds when built with greet-data installed.
        var app = ProjectSpecs.Write(server.Home["in"], "greet-app", buildRequires: "greet-data", requires: "greet-data",
            buildScript: "cat /usr/share/greet-data/greet-data.txt > content.txt && echo built-against-it >> content.txt");
        foreach (var (name, dir) in new[] { ("greet-app", app), ("greet-data", data) })
        {
            var added = await server.CliAsync("project", "add-package", "demo", name, dir);
            added.ExitCode.ShouldBe(0, added.Stderr);
        }

        var built = await server.CliAsync("build", "--project", "demo", "greet-app", "greet-data", "--follow");
        built.ExitCode.ShouldBe(0, built.Stdout + built.Stderr);

        using var client = server.Client();
        var batch = (await client.ListBatchesAsync("demo")).Single();
        var dataEntry = batch.Entries.Single(e => e.Package == "greet-data");
        var appEntry = batch.Entries.Single(e => e.Package == "greet-app");
        (dataEntry.Level, appEntry.Level).ShouldBe((0, 1));
        appEntry.WaitsFor.ShouldBe(["greet-data"]);
        var dataBuild = await client.GetBuildAsync(dataEntry.BuildId!.Value);
        var appBuild = await client.GetBuildAsync(appEntry.BuildId!.Value);
        appBuild.StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(dataBuild.FinishedAt!.Value, "greet-app waited for greet-data");
        appBuild.Package.ShouldBe("greet-app-1.0-1.fl1");

        var project = await client.GetProjectAsync("demo");
        var repository = project.Repositories.Single();
        repository.Packages.ShouldBe(2);
        var events = await OutboxEvents.ReadAsync(client, "org.forgeline.*", e => e.Any(x => x.GetProperty("type").GetString() == "org.forgeline.repository.published"
            && x.GetProperty("data").GetProperty("packages").GetInt32() == 2));
        events.ShouldContain(e => e.GetProperty("type").GetString() == "org.forgeline.project.created" && e.GetProperty("subject").GetString() == "projects/demo");
        events.ShouldContain(e => e.GetProperty("type").GetString() == "org.forgeline.repository.published" && e.GetProperty("subject").GetString() == $"repositories/demo/{repository.Chroot}");
        events.ShouldContain(e => e.GetProperty("type").GetString() == "org.forgeline.build.finished" && e.GetProperty("data").GetProperty("project").GetString() == "demo");

        // dnf, as a user runs it: the project's .repo file (gpgcheck and repo_gpgcheck on) in an empty installroot.
        var root = server.Home["installroot"];
        await Dnf.InstallAsync(server.Home["dnf"], root, await client.GetRepoFileAsync("demo", repository.Chroot), "greet-app");
        File.ReadAllText(Path.Combine(root, "usr/share/greet-app/greet-app.txt")).ShouldBe("hello from greet-data\nbuilt-against-it\n");
        File.Exists(Path.Combine(root, "usr/share/greet-data/greet-data.txt")).ShouldBeTrue("dnf pulled the dependency from the same repository");

        // An artifact damaged in the store after it was built: the next build reuses it (cache hit), and it is refused.
        var rpm = dataBuild.Artifacts.Single(a => a.Kind == "rpm");
        var stored = Path.Combine(server.Home["data"], "artifacts", "sha256", rpm.Sha256[..2], rpm.Sha256[2..4], rpm.Sha256);
        var bytes = File.ReadAllBytes(stored);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(stored, bytes);
        var again = await server.CliAsync("build", "--project", "demo", "greet-data", "--follow");
        again.ExitCode.ShouldBe(1, again.Stdout);
        var refused = (await client.ListBatchesAsync("demo"))[0].Entries.Single();
        refused.State.ShouldBe("failed");
        refused.Reason!.ShouldContain("does not match its digest");
        refused.Reason!.ShouldContain("not published");
        (await client.GetProjectAsync("demo")).Repositories.Single().Packages.ShouldBe(2, "the repository kept the good package");

        var page = await new HttpClient().GetStringAsync(new Uri(server.Url, "/projects/demo"));
        page.ShouldContain("dependency-graph");
        page.ShouldContain("data-package=\"greet-data\" data-state=\"failed\"");
        page.ShouldContain("/repos/demo/");
    }

    [Fact]
    public async Task Missing_requirements_failures_and_cycles_are_reported_and_the_repository_stays_consistent()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        (await server.CliAsync("project", "create", "messy")).ExitCode.ShouldBe(0);
        var dirs = new Dictionary<string, string>
        {
            ["needs-missing"] = ProjectSpecs.Write(server.Home["in"], "needs-missing", buildRequires: "nothing-provides-this"),
            ["after-missing"] = ProjectSpecs.Write(server.Home["in"], "after-missing", buildRequires: "needs-missing"),
            ["broken"] = ProjectSpecs.Write(server.Home["in"], "broken", buildScript: "exit 3"),
            ["after-broken"] = ProjectSpecs.Write(server.Home["in"], "after-broken", buildRequires: "broken >= 1.0"),
            ["cyc-a"] = ProjectSpecs.Write(server.Home["in"], "cyc-a", buildRequires: "cyc-b"),
            ["cyc-b"] = ProjectSpecs.Write(server.Home["in"], "cyc-b", buildRequires: "cyc-a"),
            ["fine"] = ProjectSpecs.Write(server.Home["in"], "fine", buildRequires: "make"),
        };
        foreach (var (name, dir) in dirs)
        {
            var added = await server.CliAsync("project", "add-package", "messy", name, dir);
            added.ExitCode.ShouldBe(0, added.Stderr);
        }

        var rebuilt = await server.CliAsync("project", "rebuild", "messy", "--follow");
        rebuilt.ExitCode.ShouldBe(1, "not every package succeeded");
        rebuilt.Stdout.ShouldContain("dependency cycle");

        using var client = server.Client();
        var batch = (await client.ListBatchesAsync("messy")).Single();
        batch.State.ShouldBe("finished");
        string State(string package) => batch.Entries.Single(e => e.Package == package).State;
        string? Reason(string package) => batch.Entries.Single(e => e.Package == package).Reason;
        State("needs-missing").ShouldBe("failed");
        Reason("needs-missing").ShouldBe("nothing provides nothing-provides-this needed by needs-missing");
        State("after-missing").ShouldBe("blocked");
        Reason("after-missing")!.ShouldContain("blocked by needs-missing");
        State("broken").ShouldBe("failed");
        State("after-broken").ShouldBe("blocked");
        Reason("after-broken")!.ShouldContain("blocked by broken (failed)");
        batch.Entries.Single(e => e.Package == "after-broken").BuildId.ShouldBeNull("a blocked package is not built in vain");
        State("cyc-a").ShouldBe("succeeded");
        State("cyc-b").ShouldBe("succeeded");
        State("fine").ShouldBe("succeeded");
        batch.Problems.ShouldContain(p => p.Contains("cyc-a → cyc-b → cyc-a") || p.Contains("cyc-b → cyc-a → cyc-b"));

        // What was published is a whole repository: repomd.xml, its signature, and every file it names.
        var chroot = (await client.GetProjectAsync("messy")).Repositories.Single();
        chroot.Packages.ShouldBe(3);
        using var http = new HttpClient { BaseAddress = server.Url };
        var repomd = await http.GetStringAsync($"{chroot.Url}repodata/repomd.xml");
        (await http.GetStringAsync($"{chroot.Url}repodata/repomd.xml.asc")).ShouldContain("BEGIN PGP SIGNATURE");
        foreach (var href in System.Text.RegularExpressions.Regex.Matches(repomd, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            (await http.GetAsync($"{chroot.Url}{href}")).StatusCode.ShouldBe(HttpStatusCode.OK, href);
        }

        (await http.GetAsync($"{chroot.Url}..%2f..%2fforgeline.db")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_changes_nothing()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        var badName = await server.CliAsync("project", "create", "../etc");
        badName.ExitCode.ShouldNotBe(0);
        badName.Stderr.ShouldContain("a project name is");

        (await server.CliAsync("project", "create", "strict", "--chroot", "openeuler-24.03-x86_64", "--dist-tag", ".oe2403")).ExitCode.ShouldBe(0);
        (await server.CliAsync("project", "create", "odd", "--chroot", "Not A Chroot")).Stderr.ShouldContain("is not a chroot");
        (await server.CliAsync("project", "create", "odd", "--dist-tag", "oe2403")).Stderr.ShouldContain("dist tag");

        var unparseable = Path.Combine(server.Home["in"], "unparseable");
        Directory.CreateDirectory(unparseable);
        File.WriteAllText(Path.Combine(unparseable, "unparseable.spec"), "Name: unparseable\n%if\nthis is not a spec\n");
        var refused = await server.CliAsync("project", "add-package", "strict", "unparseable", unparseable);
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain("unparseable");

        (await server.CliAsync("project", "add-package", "strict", "one", ProjectSpecs.Write(server.Home["in"], "samename"))).ExitCode.ShouldBe(0);
        var twin = ProjectSpecs.Write(server.Home["twin"], "samename");
        var clash = await server.CliAsync("project", "add-package", "strict", "two", twin);
        clash.ExitCode.ShouldNotBe(0);
        clash.Stderr.ShouldContain("already makes binary package 'samename'");

        using var client = server.Client();
        (await client.ListPackagesAsync("strict")).Select(p => p.Name).ShouldBe(["one"]);
    }

    [Fact]
    public async Task Bad_settings_roles_and_package_names_get_a_clear_error()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        (await server.CliAsync("project", "create", "settings")).ExitCode.ShouldBe(0);
        (await server.CliAsync("project", "edit", "settings", "--keep-builds", "0")).Stderr.ShouldContain("keep-builds must be between 1 and 100");
        (await server.CliAsync("project", "edit", "settings", "--missing-deps", "maybe")).Stderr.ShouldContain("must be fail or wait");
        (await server.CliAsync("project", "edit", "settings", "--define", "dist .x")).Stderr.ShouldContain("--dist-tag");
        (await server.CliAsync("project", "edit", "settings", "--key", "no-such-key")).Stderr.ShouldContain("there is no key 'no-such-key'");
        (await server.CliAsync("project", "member", "add", "settings", "bob", "owner")).Stderr.ShouldContain("unknown role 'owner'");
        (await server.CliAsync("project", "member", "remove", "settings", "nobody")).Stderr.ShouldContain("'nobody' is not a member");
        (await server.CliAsync("project", "create", "settings")).Stderr.ShouldContain("already exists");
        (await server.CliAsync("project", "rebuild", "settings")).Stderr.ShouldContain("has no packages yet");
        (await server.CliAsync("project", "add-package", "settings", "../x", ProjectSpecs.Write(server.Home["in"], "x"))).Stderr.ShouldContain("a package name is");
        (await server.CliAsync("project", "add-package", "settings", "x", ProjectSpecs.Write(server.Home["in"], "x"), "--auto-rebuild")).Stderr.ShouldContain("only packages from git");
        (await server.CliAsync("project", "add-package", "settings", "x", ProjectSpecs.Write(server.Home["in"], "x"))).ExitCode.ShouldBe(0);
        (await server.CliAsync("build", "--project", "settings", "x", "nope")).Stderr.ShouldContain("has no package 'nope'");
        (await server.CliAsync("project", "remove-package", "settings", "nope")).Stderr.ShouldContain("has no package 'nope'");
        (await server.CliAsync("project", "repo", "settings", "no-such-chroot")).ExitCode.ShouldNotBe(0);

        using var client = server.Client();
        (await client.ListBatchesAsync("settings")).ShouldBeEmpty("no bad request planned anything");
        var project = await client.GetProjectAsync("settings");
        (project.KeepBuilds, project.MissingDependencies, project.Macros).ShouldBe((2, "fail", null));
    }

    [Fact]
    public async Task Only_members_may_build_and_a_private_project_is_invisible_to_others()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = server.Client();
        var alice = (await admin.CreateTokenAsync(new CreateTokenRequest("alice", ["build"]))).Token;
        var bob = (await admin.CreateTokenAsync(new CreateTokenRequest("bob", ["build"]))).Token;
        (await server.CliAsync(["project", "create", "alices", "--public", "false"], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "create", "open"], alice)).ExitCode.ShouldBe(0);

        var hidden = await server.CliAsync(["project", "show", "alices"], bob);
        hidden.Stderr.ShouldContain("there is no project 'alices' you can see");
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        (await anonymous.GetAsync("/repos/alices/pubkey.asc")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync("/repos/open/pubkey.asc")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var pkg = ProjectSpecs.Write(server.Home["in"], "bobs");
        var refused = await server.CliAsync(["project", "add-package", "open", "bobs", pkg], bob);
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain("may not build in project 'open'");
        (await server.CliAsync(["project", "member", "add", "open", "bob", "builder"], bob)).Stderr.ShouldContain("is not an admin of project 'open'");

        (await server.CliAsync(["project", "member", "add", "open", "bob", "builder"], alice)).Stderr.ShouldContain("no user or group named 'bob'");
        (await server.CliAsync("user", "create", "bob")).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "member", "add", "open", "bob", "builder"], alice)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "add-package", "open", "bobs", pkg], bob)).ExitCode.ShouldBe(0);
        (await server.CliAsync(["project", "delete", "open"], bob)).Stderr.ShouldContain("only the owner");
    }

    [Fact]
    public async Task A_signed_push_webhook_rebuilds_a_git_package_and_a_bad_signature_is_refused()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var repo = ProjectSpecs.Write(server.Home["git"], "hooked");
        await ProcessRunner.RunCheckedAsync("git", "-C", repo, "init", "-q", "-b", "main");
        await ProcessRunner.RunCheckedAsync("git", "-C", repo, "add", ".");
        await ProcessRunner.RunCheckedAsync("git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1");
        await using var daemon = await GitDaemon.StartAsync(server.Home["git"]);
        (await server.CliAsync("project", "create", "hooks")).ExitCode.ShouldBe(0);
        using var client = server.Client();
        var added = await client.AddPackageAsync("hooks", new AddPackageRequest("hooked", new Core.Builds.BuildSource(Core.Builds.SourceKind.Git, Url: $"{daemon.Url}/hooked", Ref: "main"), AutoRebuild: true));
        var secret = added.WebhookSecret.ShouldNotBeNull();
        var hook = new Uri(server.Url, added.Package.WebhookUrl!.TrimStart('/'));

        var push = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567","repository":{"default_branch":"main"}}""");
        using var http = new HttpClient();
        (await PostAsync(http, hook, push, "sha256=" + new string('0', 64))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await PostAsync(http, hook, push, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.ListBatchesAsync("hooks")).ShouldBeEmpty("a refused delivery plans nothing");
        (await PostAsync(http, hook, new byte[2 * 1024 * 1024], null)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), push));
        var other = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/feature","after":"1111111111111111111111111111111111111111"}""");
        var ignored = await PostAsync(http, hook, other, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), other)));
        ignored.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ignored.Content.ReadAsStringAsync()).ShouldContain("nothing to do");

        var garbage = Encoding.UTF8.GetBytes("not json");
        var unreadable = await PostAsync(http, hook, garbage, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), garbage)));
        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unreadable.Content.ReadAsStringAsync()).ShouldContain("not a JSON push event");

        var accepted = await PostAsync(http, hook, push, signature);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var batch = (await client.ListBatchesAsync("hooks")).Single();
        batch.RequestedBy.ShouldBe("webhook");
        var finished = await WaitForBatchAsync(client, "hooks", batch.Id);
        finished.Entries.Single().State.ShouldBe("succeeded", finished.Entries.Single().Reason);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Event", "push");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return await http.SendAsync(request);
    }

    private static async Task<BatchDto> WaitForBatchAsync(ForgelineClient client, string project, long id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var batch = await client.GetBatchAsync(project, id);
            if (batch.State == "finished")
            {
                return batch;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"batch {id} of {project} did not finish: {string.Join(", ", batch.Entries.Select(e => $"{e.Package} {e.State}"))}");
            }

            await Task.Delay(250);
        }
    }
}

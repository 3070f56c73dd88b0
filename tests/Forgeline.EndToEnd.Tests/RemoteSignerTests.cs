using System.Net;
using Forgeline.Core.Client;
using Forgeline.Core.Signing;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// A locked-down signer node holds the keys and the master key; a web node configured with <c>Forgeline:Signing:Remote</c>
/// runs the API, scheduler and worker without any master key and publishes project repositories signed by the signer.
/// </summary>
public sealed class RemoteSignerTests
{
    [Fact]
    public async Task A_web_node_with_a_remote_signer_starts_without_a_master_key_and_publishes_repositories_the_signer_signed()
    {
        await using var signer = await ForgelineServer.StartAsync(embeddedWorker: false, settings: null, "--targets", "signer");
        using var signerAdmin = signer.Client();
        var nodeToken = (await signerAdmin.CreateTokenAsync(new CreateTokenRequest("web-node", ["sign", "admin"]))).Token;

        // Default targets ("all"): the signer target is left out because the node signs remotely.
        await using var web = await ForgelineServer.StartAsync(embeddedWorker: true, settings: RemoteSettings(signer, nodeToken));
        using var http = new HttpClient { BaseAddress = web.Url };
        (await http.GetStringAsync("healthz")).ShouldBe("ok\n");
        (await http.GetAsync("keys")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "the web node does not serve the signer's pages");
        File.Exists(web.Home["data/master.key"]).ShouldBeFalse("a node with a remote signer never makes a master key");

        // The project's own key is made on the signer node, not on the web node.
        var created = await web.CliAsync("project", "create", "remote", "--dist-tag", ".rs1");
        created.ExitCode.ShouldBe(0, created.Stderr);
        var key = await signerAdmin.GetKeyAsync("project-remote");
        key.Type.ShouldBe("openpgp");
        (await web.CliAsync("project", "add-package", "remote", "signed-far", ProjectSpecs.Write(web.Home["in"], "signed-far"))).ExitCode.ShouldBe(0);
        var built = await web.CliAsync("build", "--project", "remote", "signed-far", "--follow");
        built.ExitCode.ShouldBe(0, built.Stdout + built.Stderr + web.Process.Output);

        using var client = web.Client();
        var repository = (await client.GetProjectAsync("remote")).Repositories.Single();
        repository.Packages.ShouldBe(1);
        // The public key the web node serves is the signer's; dnf checks the RPM's header signature and repomd.xml.asc with it.
        (await http.GetStringAsync("repos/remote/pubkey.asc")).ShouldBe(key.PublicKey);
        var root = web.Home["installroot"];
        await Dnf.InstallAsync(web.Home["dnf"], root, await client.GetRepoFileAsync("remote", repository.Chroot), "signed-far");
        File.Exists(Path.Combine(root, "usr/share/signed-far/signed-far.txt")).ShouldBeTrue();

        // rpmkeys agrees, on the package as published.
        var rpmdb = Directory.CreateDirectory(web.Home["rpmdb"]).FullName;
        await File.WriteAllTextAsync(web.Home["pubkey.asc"], key.PublicKey);
        (await ProcessRunner.RunAsync("rpmkeys", ["--dbpath", rpmdb, "--import", web.Home["pubkey.asc"]])).ExitCode.ShouldBe(0);
        var published = Directory.GetFiles(Path.Combine(web.Home["data"], "repos"), "signed-far-*.noarch.rpm", SearchOption.AllDirectories).First();
        var check = await ProcessRunner.RunAsync("rpmkeys", ["--dbpath", rpmdb, "-Kv", published]);
        check.Stdout.ShouldContain($"Signature, key ID {key.KeyId![^8..].ToLowerInvariant()}: OK");

        // The signer's audit trail has the RPM header and repomd.xml signatures, by the web node's token.
        var log = await signerAdmin.SignatureLogAsync("project-remote");
        log.ShouldContain(e => e.Format == "rpm" && e.Signer == "web-node" && e.FileName!.StartsWith("signed-far-", StringComparison.Ordinal));
        log.ShouldContain(e => e.Format == "file" && e.Signer == "web-node" && e.FileName == "repomd.xml");
        File.Exists(web.Home["data/master.key"]).ShouldBeFalse("signing went through the signer node");
        File.Exists(signer.Home["data/master.key"]).ShouldBeTrue("the signer node holds the master key");
    }

    [Fact]
    public async Task A_refusing_or_unreachable_signer_gives_a_clear_error_and_nothing_is_published()
    {
        await using var signer = await ForgelineServer.StartAsync(embeddedWorker: false, settings: null, "--targets", "signer");
        using var signerAdmin = signer.Client();
        // A token that may sign but not make keys: projects must name a key the signer holds.
        var nodeToken = (await signerAdmin.CreateTokenAsync(new CreateTokenRequest("sign-only-node", ["sign"]))).Token;
        await signerAdmin.CreateKeyAsync(new CreateKeyRequest("held", "openpgp", "ed25519", UserId: "Held <held@example.invalid>", Purposes: ["rpm", "file"], AllowedSigners: ["sign-only-node"]));

        await using var web = await ForgelineServer.StartAsync(embeddedWorker: true, settings: RemoteSettings(signer, nodeToken), "--targets", "api,scheduler,worker,events");
        var refused = await web.CliAsync("project", "create", "keyless");
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain("could not make the project's signing key 'project-keyless'");
        refused.Stderr.ShouldContain("--key");
        (await web.CliAsync("project", "create", "held-project", "--key", "held")).ExitCode.ShouldBe(0);
        (await web.CliAsync("project", "add-package", "held-project", "refused-pkg", ProjectSpecs.Write(web.Home["in"], "refused-pkg"))).ExitCode.ShouldBe(0);

        // The signer refuses (the key is disabled there): the build succeeds, its publication fails with the signer's reason.
        await signerAdmin.SetKeyEnabledAsync("held", enabled: false);
        var built = await web.CliAsync("build", "--project", "held-project", "refused-pkg", "--follow");
        built.ExitCode.ShouldNotBe(0);
        using var client = web.Client();
        var entry = (await client.ListBatchesAsync("held-project")).Single().Entries.Single();
        entry.State.ShouldBe("failed");
        entry.Reason!.ShouldContain("key 'held' is disabled");
        entry.Reason!.ShouldContain($"the signer at {signer.Url}");
        (await client.GetProjectAsync("held-project")).Repositories.Single().Packages.ShouldBe(0);
        // The project's empty repository may have been published (and its repomd.xml signed) before the key was disabled;
        // what matters is that no RPM was signed and nothing of the refused package reached the repository.
        using var http = new HttpClient { BaseAddress = web.Url };
        var chroot = (await client.GetProjectAsync("held-project")).Repositories.Single().Chroot;
        using (var repomd = await http.GetAsync($"repos/held-project/{chroot}/repodata/repomd.xml"))
        {
            if (repomd.StatusCode == HttpStatusCode.OK)
            {
                // The repository lists what it holds in its primary metadata (the repository serves no directory listing).
                var index = await repomd.Content.ReadAsStringAsync();
                System.Xml.Linq.XNamespace repo = "http://linux.duke.edu/metadata/repo";
                var primary = System.Xml.Linq.XDocument.Parse(index).Root!.Elements(repo + "data").Single(d => (string?)d.Attribute("type") == "primary")
                    .Element(repo + "location")!.Attribute("href")!.Value;
                primary.ShouldNotBeEmpty(index);
                await using var compressed = await http.GetStreamAsync($"repos/held-project/{chroot}/{primary}");
                await using var gunzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
                (await new StreamReader(gunzip).ReadToEndAsync()).ShouldNotContain("refused-pkg", Case.Insensitive, "nothing half-signed was published");
            }
            else
            {
                repomd.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            }
        }

        (await signerAdmin.SignatureLogAsync("held")).ShouldAllBe(s => s.Format != "rpm", "no RPM was signed with the disabled key");

        // An unreachable signer: the error names it.
        await signer.Process.StopAsync();
        var unreachable = await web.CliAsync("project", "create", "far-away", "--key", "held");
        unreachable.ExitCode.ShouldNotBe(0);
        unreachable.Stderr.ShouldContain($"cannot reach the signer at {signer.Url}");
        File.Exists(web.Home["data/master.key"]).ShouldBeFalse();
    }

    [Fact]
    public async Task A_remote_signer_without_a_token_or_with_the_signer_target_is_refused_at_start_and_the_default_targets_start_without_it()
    {
        using var home = new TempDirectory();
        var noToken = await ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--data", home["data"], "--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string?> { ["Forgeline__Signing__Remote__Url"] = "http://127.0.0.1:9/" });
        noToken.ExitCode.ShouldBe(2);
        noToken.Stderr.ShouldContain("Forgeline:Signing:Remote:Token (or TokenFile) is not set");

        var both = await ProcessRunner.RunAsync("dotnet", [ForgelineBinary.DllPath, "server", "--targets", "api,signer", "--data", home["data"], "--urls", "http://127.0.0.1:0"],
            environment: new Dictionary<string, string?> { ["Forgeline__Signing__Remote__Url"] = "http://127.0.0.1:9/", ["Forgeline__Signing__Remote__Token"] = "x" });
        both.ExitCode.ShouldBe(2);
        both.Stderr.ShouldContain("do not run the signer target here too");
        File.Exists(home["data/master.key"]).ShouldBeFalse();

        // The default targets less the embedded worker (--no-worker) are not a request for the signer target: the node starts.
        await using var node = await ForgelineServer.StartAsync(embeddedWorker: false, settings: new Dictionary<string, string?>
        {
            ["Forgeline__Signing__Remote__Url"] = "http://127.0.0.1:9/", ["Forgeline__Signing__Remote__Token"] = "x",
        });
        using var http = new HttpClient { BaseAddress = node.Url };
        (await http.GetStringAsync("healthz")).ShouldBe("ok\n");
        File.Exists(node.Home["data/master.key"]).ShouldBeFalse();
    }

    private static Dictionary<string, string?> RemoteSettings(ForgelineServer signer, string token) => new()
    {
        ["Forgeline__Signing__Remote__Url"] = signer.Url.ToString(),
        ["Forgeline__Signing__Remote__Token"] = token,
    };
}

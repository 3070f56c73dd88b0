using Forgeline.Core.Signing;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Signing as a user does it: keys made in the signer, files signed with the CLI, every format checked by its real verifier.</summary>
public sealed class SigningCliTests(SigningServerFixture fixture) : IClassFixture<SigningServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task Rpms_are_signed_in_place_bad_files_are_left_untouched_and_re_signing_replaces()
    {
        var dir = Server.Home["rpms"];
        var packages = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            packages.Add(await TestPackages.MakeSrpmAsync(dir, $"signed{i}"));
        }

        var bad = Path.Combine(dir, "bad-1.0-1.src.rpm");
        await File.WriteAllTextAsync(bad, "this is not an rpm\n");
        var (code, stdout, stderr) = await Server.CliAsync(["sign", "rpm", "--key", "rpm-rsa", .. packages, bad], fixture.PackagerToken);

        code.ShouldBe(1, "one file failed");
        stderr.ShouldContain("bad-1.0-1.src.rpm");
        stderr.ShouldContain("not changed");
        (await File.ReadAllTextAsync(bad)).ShouldBe("this is not an rpm\n");
        stdout.Split('\n').Count(l => l.StartsWith("signed ", StringComparison.Ordinal)).ShouldBe(3);
        foreach (var package in packages)
        {
            (await fixture.RpmKeysAsync(package)).ShouldContain($"Header V4 RSA/SHA256 Signature, key ID {fixture.RsaKeyId[^8..].ToLowerInvariant()}: OK");
        }

        (await Server.CliAsync(["sign", "rpm", "--key", "rpm-ed", packages[0]], fixture.PackagerToken)).ExitCode.ShouldBe(0);
        var resigned = await fixture.RpmKeysAsync(packages[0]);
        resigned.ShouldContain("Header V4 EdDSA/SHA256 Signature");
        resigned.ShouldContain(": OK");
        resigned.ShouldNotContain("RSA/SHA256 Signature", customMessage: "re-signing replaces the earlier signature");
    }

    [Fact]
    public async Task A_detached_signature_is_accepted_by_gpg_and_a_changed_file_is_not()
    {
        var iso = Server.Home["image.iso"];
        await File.WriteAllBytesAsync(iso, System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        (await Server.CliAsync(["sign", "file", "--key", "rpm-rsa", "--armor", iso], fixture.PackagerToken)).ExitCode.ShouldBe(0);

        (await fixture.GpgAsync("--verify", iso + ".asc", iso)).ShouldContain("Good signature");
        // Flip every bit of the first byte: writing a fixed value leaves the file unchanged when it already held it.
        var bytes = await File.ReadAllBytesAsync(iso);
        bytes[0] ^= 0xff;
        await File.WriteAllBytesAsync(iso, bytes);

        (await fixture.GpgAsync("--verify", iso + ".asc", iso)).ShouldContain("BAD signature");
    }

    [Fact]
    public async Task A_debian_kernel_module_is_re_signed_only_when_asked_and_modinfo_shows_our_signature()
    {
        var kernel = await DebianPackageCache.DependencyAsync("linux-image-cloud-amd64", "linux-image-");
        var source = DebianPackageCache.Find(await DebianPackageCache.GetAsync(kernel, "/crc7.ko"), "/crc7.ko");
        var module = Server.Home["crc7.ko"];
        File.Copy(source, module, overwrite: true);
        var original = await File.ReadAllBytesAsync(module);

        var refused = await Server.CliAsync(["sign", "kmod", "--key", "kernel-leaf", module], fixture.PackagerToken);
        refused.ExitCode.ShouldBe(1);
        refused.Stderr.ShouldContain("already signed");
        (await File.ReadAllBytesAsync(module)).ShouldBe(original);

        (await Server.CliAsync(["sign", "kmod", "--key", "kernel-leaf", "--replace", module], fixture.PackagerToken)).ExitCode.ShouldBe(0);
        (await ProcessRunner.RunCheckedAsync("modinfo", "-F", "sig_hashalgo", module)).Trim().ShouldBe("sha256");
        (await ProcessRunner.RunCheckedAsync("modinfo", "-F", "signer", module)).Trim().ShouldBe("Forgeline Test Root");
    }

    [Fact]
    public async Task An_efi_binary_from_debian_is_signed_so_sbverify_and_osslsigncode_accept_it()
    {
        var source = DebianPackageCache.Find(await DebianPackageCache.GetAsync("systemd-boot-efi", "/systemd-bootx64.efi"), "/systemd-bootx64.efi");
        var efi = Server.Home["systemd-bootx64.efi"];
        File.Copy(source, efi, overwrite: true);

        (await Server.CliAsync(["sign", "efi", "--key", "kernel-leaf", efi], fixture.PackagerToken)).ExitCode.ShouldBe(0);
        var sbverify = await ProcessRunner.RunAsync("sbverify", ["--cert", fixture.LeafPem, efi]);
        (sbverify.Stdout + sbverify.Stderr).ShouldContain("Signature verification OK");
        var ossl = await ProcessRunner.RunAsync("osslsigncode", ["verify", "-CAfile", fixture.RootPem, "-in", efi]);
        (ossl.Stdout + ossl.Stderr).ShouldContain("Succeeded");

        var text = Server.Home["notes.efi"];
        await File.WriteAllTextAsync(text, "not a PE file");
        var bad = await Server.CliAsync(["sign", "efi", "--key", "kernel-leaf", text], fixture.PackagerToken);
        bad.ExitCode.ShouldBe(1);
        (await File.ReadAllTextAsync(text)).ShouldBe("not a PE file");
    }

    [Fact]
    public async Task A_container_signature_passes_skopeo_standalone_verify()
    {
        var manifest = Server.Home["manifest.json"];
        await File.WriteAllTextAsync(manifest, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""");
        var signature = Server.Home["signature-1"];
        (await Server.CliAsync(["sign", "container", "--key", "rpm-ed", "--manifest", manifest, "--reference", "registry.example.org/app:1.0", "-o", signature], fixture.PackagerToken)).ExitCode.ShouldBe(0);

        var ok = await ProcessRunner.RunAsync("skopeo", ["standalone-verify", manifest, "registry.example.org/app:1.0", fixture.EdFingerprint, signature], environment: fixture.GpgEnvironment);
        ok.ExitCode.ShouldBe(0, ok.Stdout + ok.Stderr);
        var wrongReference = await ProcessRunner.RunAsync("skopeo", ["standalone-verify", manifest, "registry.example.org/other:1.0", fixture.EdFingerprint, signature], environment: fixture.GpgEnvironment);
        wrongReference.ExitCode.ShouldNotBe(0);
    }

    [Fact]
    public async Task Signing_needs_the_sign_scope_and_the_keys_permission_and_an_enabled_key()
    {
        var srpm = await TestPackages.MakeSrpmAsync(Server.Home["auth"], "guarded");
        using var admin = Server.Client();
        var builder = await admin.CreateTokenAsync(new CreateTokenRequest($"builder-{Guid.NewGuid():N}"[..20], ["build"]));
        var stranger = await admin.CreateTokenAsync(new CreateTokenRequest($"stranger-{Guid.NewGuid():N}"[..20], ["sign"]));

        (await Server.CliAsync(["sign", "rpm", "--key", "rpm-rsa", srpm], builder.Token)).Stderr.ShouldContain("lacks the scope");
        (await Server.CliAsync(["sign", "rpm", "--key", "rpm-rsa", srpm], stranger.Token)).Stderr.ShouldContain("may not sign with key 'rpm-rsa'");

        await admin.CreateKeyAsync(new CreateKeyRequest("short-lived", "openpgp", "ed25519", UserId: "S <s@example.invalid>", AllowedSigners: ["*"]));
        (await Server.CliAsync("key", "disable", "short-lived")).ExitCode.ShouldBe(0);
        (await Server.CliAsync(["sign", "rpm", "--key", "short-lived", srpm], stranger.Token)).Stderr.ShouldContain("is disabled");
        (await Server.CliAsync(["sign", "kmod", "--key", "rpm-rsa", srpm], fixture.PackagerToken)).Stderr.ShouldContain("signed with x509 keys");

        var log = await Server.CliAsync("sign", "log", "--json");
        log.Stdout.ShouldContain("\"signer\": \"packager\"");
        log.Stdout.ShouldNotContain("guarded-1.0-1.src.rpm", customMessage: "refused requests sign nothing and record nothing");
    }

    [Fact]
    public async Task The_keys_page_lists_public_parts_only()
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        var page = await http.GetStringAsync("keys");
        page.ShouldContain("rpm-rsa");
        page.ShouldContain(fixture.RsaKeyId);
        page.ShouldNotContain("PRIVATE KEY", Case.Sensitive);
        page.ShouldNotContain("BEGIN PGP PRIVATE", Case.Sensitive);
        var api = await http.GetStringAsync("api/v1/keys");
        api.ShouldNotContain("sealed", Case.Insensitive);
        (await http.GetStringAsync("api/v1/keys/rpm-rsa/public")).ShouldContain("BEGIN PGP PUBLIC KEY BLOCK");
    }
}

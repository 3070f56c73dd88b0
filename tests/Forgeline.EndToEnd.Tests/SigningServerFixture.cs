using Forgeline.Core.Signing;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>A server without worker, with an RSA and an Ed25519 OpenPGP key, an X.509 root and leaf, a 'packager' token allowed to sign,
/// and a private gpg home and rpm database that trust the OpenPGP keys.</summary>
public sealed class SigningServerFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public ForgelineServer Server { get; private set; } = null!;

    /// <summary>A token with the sign scope, allowed on every key here.</summary>
    public string PackagerToken { get; private set; } = "";

    /// <summary>Key id of rpm-rsa.</summary>
    public string RsaKeyId { get; private set; } = "";

    /// <summary>Fingerprint of rpm-ed.</summary>
    public string EdFingerprint { get; private set; } = "";

    /// <summary>PEM of the X.509 root.</summary>
    public string RootPem => Server.Home["root.pem"];

    /// <summary>PEM of the X.509 leaf.</summary>
    public string LeafPem => Server.Home["leaf.pem"];

    /// <summary>GNUPGHOME with the public keys imported.</summary>
    public Dictionary<string, string?> GpgEnvironment => new() { ["GNUPGHOME"] = Server.Home["gnupg"] };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = Server.Client();
        var packager = await admin.CreateTokenAsync(new CreateTokenRequest("packager", ["sign"]));
        PackagerToken = packager.Token;
        var rsa = await admin.CreateKeyAsync(new CreateKeyRequest("rpm-rsa", "openpgp", "rsa2048", UserId: "Forgeline Test RSA <rsa@example.invalid>", AllowedSigners: ["packager"]));
        var ed = await admin.CreateKeyAsync(new CreateKeyRequest("rpm-ed", "openpgp", "ed25519", UserId: "Forgeline Test Ed25519 <ed@example.invalid>", AllowedSigners: ["packager"]));
        await admin.CreateKeyAsync(new CreateKeyRequest("kernel-root", "x509", "rsa2048", Subject: "CN=Forgeline Test Root", Ca: true));
        var leaf = await admin.CreateKeyAsync(new CreateKeyRequest("kernel-leaf", "x509", "rsa2048", Subject: "CN=Forgeline Test Kernel Signing", Issuer: "kernel-root", AllowedSigners: ["packager"]));
        RsaKeyId = rsa.KeyId!;
        EdFingerprint = ed.Fingerprint;
        await File.WriteAllTextAsync(LeafPem, leaf.PublicKey);
        await File.WriteAllTextAsync(RootPem, leaf.Chain[^1]);

        Directory.CreateDirectory(Server.Home["gnupg"]);
        File.SetUnixFileMode(Server.Home["gnupg"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var key in new[] { rsa, ed })
        {
            var path = Server.Home[$"{key.Name}.asc"];
            await File.WriteAllTextAsync(path, key.PublicKey);
            await GpgAsync("--import", path);
            await ProcessRunner.RunCheckedAsync("rpmkeys", "--dbpath", Server.Home["rpmdb"], "--import", path);
        }
    }

    /// <summary>Runs gpg in the fixture's home; returns stdout and stderr together.</summary>
    public async Task<string> GpgAsync(params string[] args)
    {
        var (_, stdout, stderr) = await ProcessRunner.RunAsync("gpg", ["--batch", .. args], environment: GpgEnvironment);
        return stdout + stderr;
    }

    /// <summary><c>rpmkeys -Kv</c> against the fixture's rpm database.</summary>
    public async Task<string> RpmKeysAsync(string package)
    {
        var (_, stdout, stderr) = await ProcessRunner.RunAsync("rpmkeys", ["--dbpath", Server.Home["rpmdb"], "-Kv", package]);
        return stdout + stderr;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await ProcessRunner.RunAsync("gpgconf", ["--kill", "all"], environment: GpgEnvironment);
        await Server.DisposeAsync();
    }
}

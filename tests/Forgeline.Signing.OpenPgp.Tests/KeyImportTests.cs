using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Keys made by gpg itself, exported with --export-secret-keys --armor, import and sign signatures gpg accepts.</summary>
public sealed class KeyImportTests : IDisposable
{
    private readonly GnuPgHome _gpg = new();

    [Theory]
    [InlineData("rsa3072", "sign", "correct horse battery staple", OpenPgpAlgorithm.Rsa3072)]
    [InlineData("ed25519", "sign", "päss wörd", OpenPgpAlgorithm.Ed25519)]
    [InlineData("ed25519", "sign", "", OpenPgpAlgorithm.Ed25519)]
    [InlineData("future-default", "default", "with a cv25519 encryption subkey", OpenPgpAlgorithm.Ed25519)]
    public async Task A_gpg_key_imports_and_its_signatures_verify_in_gpg(string gpgAlgorithm, string usage, string passphrase, OpenPgpAlgorithm expected)
    {
        (string fingerprint, string armored) = await GenerateWithGpgAsync(gpgAlgorithm, passphrase, usage);

        OpenPgpKeyMaterial imported = OpenPgpKeyFactory.Import(armored, passphrase.Length == 0 ? null : passphrase);

        imported.Fingerprint.ShouldBe(fingerprint);
        imported.Algorithm.ShouldBe(expected);
        imported.UserId.ShouldBe($"Imported {gpgAlgorithm} <import@forgeline.test>");
        imported.ExpiresAt.ShouldBeNull();
        using OpenPgpPrivateKey signer = OpenPgpPrivateKey.Load(imported.SecretKey);
        string data = _gpg.File("data.txt");
        await File.WriteAllTextAsync(data, "signed with an imported key\n");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        OpenPgpPreparedSignature prepared;
        await using (FileStream stream = File.OpenRead(data))
        {
            prepared = OpenPgpDetachedSignature.Prepare(OpenPgpPublicKeyInfo.Parse(imported.ArmoredPublicKey), stream, now, HashAlgorithmName.SHA512);
        }

        await File.WriteAllBytesAsync(_gpg.File("data.sig"), signer.SignPrepared(prepared, now));
        ToolResult verify = await _gpg.VerifyAsync(_gpg.File("data.sig"), data);
        verify.ExitCode.ShouldBe(0, verify.Output);
        verify.Stderr.ShouldContain($"Good signature from \"{imported.UserId}\"");

        // The re-encoded (unprotected) key and the public key we derived are still the same key to gpg.
        await File.WriteAllTextAsync(_gpg.File("ours.asc"), imported.ArmoredPublicKey);
        ToolResult show = await _gpg.GpgAsync("--with-colons", "--import-options", "show-only", "--import", _gpg.File("ours.asc"));
        show.Stdout.ShouldContain($"fpr:::::::::{fingerprint}:");
        show.Stdout.Contains("\nsub:", StringComparison.Ordinal).ShouldBe(usage == "default", "subkeys stay in the public key");
    }

    [Fact]
    public async Task A_wrong_or_missing_passphrase_is_a_clear_error()
    {
        (_, string armored) = await GenerateWithGpgAsync("ed25519", "the right one");

        Should.Throw<OpenPgpRequestException>(() => OpenPgpKeyFactory.Import(armored, "the wrong one"))
            .Message.ShouldContain("the passphrase does not unlock secret key");
        Should.Throw<OpenPgpRequestException>(() => OpenPgpKeyFactory.Import(armored, null))
            .Message.ShouldContain("is protected by a passphrase");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpPrivateKey.Load(System.Text.Encoding.ASCII.GetBytes(armored)))
            .Message.ShouldContain("import it with OpenPgpKeyFactory.Import first");
    }

    public void Dispose() => _gpg.Dispose();

    private async Task<(string Fingerprint, string Armored)> GenerateWithGpgAsync(string algorithm, string passphrase, string usage = "sign")
    {
        string userId = $"Imported {algorithm} <import@forgeline.test>";
        string[] pin = ["--pinentry-mode", "loopback", "--passphrase", passphrase];
        ToolResult generated = await _gpg.GpgAsync([.. pin, "--quick-gen-key", userId, algorithm, usage, "never"]);
        generated.ExitCode.ShouldBe(0, generated.Output);
        ToolResult list = await _gpg.GpgAsync("--list-secret-keys", "--with-colons", userId);
        string fingerprint = list.Stdout.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        ToolResult export = await _gpg.GpgAsync([.. pin, "--armor", "--export-secret-keys", fingerprint]);
        export.ExitCode.ShouldBe(0, export.Output);
        export.Stdout.ShouldStartWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        return (fingerprint, export.Stdout);
    }
}

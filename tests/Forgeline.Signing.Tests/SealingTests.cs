using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Testing;

namespace Forgeline.Signing.Tests;

/// <summary>Keys never leave: a database dump reveals none, and a changed master key fails loudly.</summary>
public sealed class SealingTests(RpmFixture rpm) : IClassFixture<RpmFixture>
{
    [Fact]
    public async Task The_database_holds_no_private_key_material_of_an_imported_key()
    {
        using var gnupg = new TempDirectory("forgeline-gpg");
        var env = new Dictionary<string, string?> { ["GNUPGHOME"] = gnupg.Path };
        await ProcessRunner.RunAsync("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Import <import@example.invalid>", "rsa2048", "sign", "never"], environment: env);
        var (_, armored, _) = await ProcessRunner.RunAsync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", "--armor"], environment: env);
        var (_, _, _) = await ProcessRunner.RunAsync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--export-secret-keys", "--output", gnupg["secret.bin"]], environment: env);
        var secret = await File.ReadAllBytesAsync(gnupg["secret.bin"]);

        await using var harness = await SigningHarness.CreateAsync();
        var imported = await harness.Keys(k => k.ImportAsync(new ImportKeyRequest("imported", OpenPgpSecretKey: armored), default));
        imported.IsSuccess.ShouldBeTrue(imported.Message);
        (await harness.Signing(s => s.SignAsync("imported", "admin", true, new SignRequest("rpm", [new SignItem("p.rpm", Data: rpm.Header)]), default))).IsSuccess.ShouldBeTrue();
        await harness.CloseAsync();

        var dump = Directory.GetFiles(harness.Paths.Root, "forgeline.db*").SelectMany(File.ReadAllBytes).ToArray();
        // The secret key packet's tail holds the private MPIs; no 32-byte window of it may appear anywhere in the database.
        var tail = secret[^600..];
        for (var offset = 0; offset + 32 <= tail.Length; offset += 16)
        {
            dump.AsSpan().IndexOf(tail.AsSpan(offset, 32)).ShouldBe(-1, $"secret key bytes at offset {offset} are in the database");
        }

        System.Text.Encoding.UTF8.GetString(dump).ShouldNotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task A_changed_master_key_makes_signing_fail_loudly_and_sign_nothing()
    {
        var home = new TempDirectory("forgeline-signing");
        // Closed, not disposed: disposing would delete the data directory the second server opens.
        var first = await SigningHarness.CreateAsync(home);
        await first.Keys(k => k.CreateAsync(new CreateKeyRequest("k", "openpgp", "ed25519", UserId: "K <k@example.invalid>"), default));
        await first.CloseAsync();

        File.Delete(home["data/master.key"]);
        await using var second = await SigningHarness.CreateAsync(home);
        var result = await second.Signing(s => s.SignAsync("k", "admin", true, new SignRequest("rpm", [new SignItem("p.rpm", Data: rpm.Header)]), default));

        result.Error.ShouldBe(ServiceError.Conflict);
        result.Message!.ShouldContain("cannot be unsealed");
        result.Message!.ShouldContain("master key");
    }

    [Fact]
    public async Task The_master_key_file_is_private()
    {
        await using var harness = await SigningHarness.CreateAsync();
        await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("k", "openpgp", "ed25519", UserId: "K <k@example.invalid>"), default));
        File.GetUnixFileMode(harness.Paths.Root + "/master.key").ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

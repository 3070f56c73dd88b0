using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Generated keys are what gpg expects: its own listing shows our fingerprint, user ID, algorithm and expiry.</summary>
public sealed class KeyGenerationTests : IDisposable
{
    private readonly GnuPgHome _gpg = new();

    [Theory]
    [MemberData(nameof(TestKeys.Algorithms), MemberType = typeof(TestKeys))]
    public async Task Gpg_imports_a_generated_public_key_and_lists_our_fingerprint_user_id_and_expiry(OpenPgpAlgorithm algorithm)
    {
        OpenPgpKeyMaterial key = TestKeys.Material(algorithm);

        await _gpg.ImportAsync(key.ArmoredPublicKey);
        ToolResult list = await _gpg.GpgAsync("--list-keys", "--with-colons", key.Fingerprint);

        list.ExitCode.ShouldBe(0, list.Output);
        string[] pub = Line(list.Stdout, "pub");
        pub[3].ShouldBe(algorithm == OpenPgpAlgorithm.Ed25519 ? "22" : "1");
        pub[2].ShouldBe(algorithm switch { OpenPgpAlgorithm.Rsa2048 => "2048", OpenPgpAlgorithm.Rsa3072 => "3072", OpenPgpAlgorithm.Rsa4096 => "4096", _ => "255" });
        pub[4].ShouldBe(key.KeyId);
        pub[5].ShouldBe(key.CreatedAt.ToUnixTimeSeconds().ToString());
        pub[6].ShouldBe(TestKeys.ExpiresAt.ToUnixTimeSeconds().ToString());
        pub[11].ShouldContain('s');
        Line(list.Stdout, "fpr")[9].ShouldBe(key.Fingerprint);
        Line(list.Stdout, "uid")[9].ShouldBe(key.UserId);
        key.ExpiresAt.ShouldBe(TestKeys.ExpiresAt);
        key.Fingerprint.ShouldMatch("^[0-9A-F]{40}$");
        key.KeyId.ShouldBe(key.Fingerprint[24..]);
    }

    [Fact]
    public async Task A_key_without_expiry_has_no_expiry_in_gpg_and_parses_back_to_the_same_facts()
    {
        DateTimeOffset created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        OpenPgpKeyMaterial key = OpenPgpKeyFactory.Generate(OpenPgpAlgorithm.Ed25519, "Release Key (no expiry) <release@forgeline.test>", created, null);

        await _gpg.ImportAsync(key.ArmoredPublicKey);
        ToolResult list = await _gpg.GpgAsync("--list-keys", "--with-colons", key.Fingerprint);
        OpenPgpPublicKeyInfo info = OpenPgpPublicKeyInfo.Parse(key.ArmoredPublicKey);

        Line(list.Stdout, "pub")[6].ShouldBeEmpty();
        Line(list.Stdout, "uid")[9].ShouldBe("Release Key (no expiry) <release@forgeline.test>");
        (info.Fingerprint, info.KeyId, info.Algorithm, info.CreatedAt, info.ExpiresAt, info.UserId)
            .ShouldBe((key.Fingerprint, key.KeyId, OpenPgpAlgorithm.Ed25519, created, (DateTimeOffset?)null, key.UserId));
        using OpenPgpPrivateKey loaded = OpenPgpPrivateKey.Load(key.SecretKey);
        (loaded.Fingerprint, loaded.KeyId, loaded.Algorithm).ShouldBe((key.Fingerprint, key.KeyId, OpenPgpAlgorithm.Ed25519));
    }

    [Fact]
    public void Bad_key_input_gives_errors_that_say_what_to_pass()
    {
        OpenPgpKeyMaterial key = TestKeys.Material(OpenPgpAlgorithm.Ed25519);
        byte[] damaged = (byte[])key.SecretKey.Clone();
        damaged[^20] ^= 0x01; // inside the self-signature

        Should.Throw<OpenPgpFormatException>(() => OpenPgpPublicKeyInfo.Parse("hello")).Message.ShouldContain("gpg --armor");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpPublicKeyInfo.Parse(key.ArmoredPublicKey.Replace("\n=", "\n=A", StringComparison.Ordinal)))
            .Message.ShouldContain("armor");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpPrivateKey.Load(System.Text.Encoding.ASCII.GetBytes(key.ArmoredPublicKey)))
            .Message.ShouldContain("is a public key");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpKeyFactory.Import(key.ArmoredPublicKey, null)).Message.ShouldContain("gpg --export-secret-keys");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpPrivateKey.Load(damaged)).Message.ShouldContain("no user ID with a valid self-signature");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpPrivateKey.Load(key.SecretKey[..40])).Message.ShouldContain("truncated");
        Should.Throw<ArgumentOutOfRangeException>(() => OpenPgpKeyFactory.Generate(OpenPgpAlgorithm.Ed25519, "x <x@x>", TestKeys.CreatedAt, TestKeys.CreatedAt));
        Should.Throw<ArgumentException>(() => OpenPgpKeyFactory.Generate(OpenPgpAlgorithm.Ed25519, "two\nlines", TestKeys.CreatedAt, null));
    }

    public void Dispose() => _gpg.Dispose();

    private static string[] Line(string colons, string type) =>
        colons.Split('\n').Select(l => l.Split(':')).FirstOrDefault(f => f[0] == type)
        ?? throw new ShouldAssertException($"no {type} line in:\n{colons}");
}

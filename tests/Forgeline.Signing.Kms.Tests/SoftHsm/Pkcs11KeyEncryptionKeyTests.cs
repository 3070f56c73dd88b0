using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Forgeline.Testing;

namespace Forgeline.Signing.Kms.Tests.SoftHsm;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11KeyEncryptionKeyTests(SoftHsmFixture softHsm)
{
    // Each test uses its own key label on the shared token.
    private readonly string keyLabel = $"kek-{Guid.NewGuid():N}"[..16];

    [Fact]
    public void Creates_the_key_on_the_token_and_round_trips_a_secret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);

        using var kek = Open(createIfMissing: true);
        var sealer = new KeySealer(kek);
        var sealedSecret = SealedSecret.FromBytes(sealer.Seal(secret, "rpm-key-1").ToBytes());

        kek.Provider.ShouldBe("pkcs11");
        kek.KeyId.ShouldMatch($"^{SoftHsmFixture.Token}/{keyLabel}/[0-9a-f]{{32}}$");
        sealedSecret.Provider.ShouldBe("pkcs11");
        sealedSecret.KekId.ShouldBe(kek.KeyId);
        sealer.Unseal(sealedSecret, "rpm-key-1").ShouldBe(secret);
    }

    [Fact]
    public void The_key_persists_on_the_token_and_a_reopened_handle_unseals()
    {
        var secret = RandomNumberGenerator.GetBytes(48);
        byte[] stored;
        string keyId;
        using (var first = Open(createIfMissing: true))
        {
            stored = new KeySealer(first).Seal(secret, "rpm-key-1").ToBytes();
            keyId = first.KeyId;
        }

        using var second = Open(createIfMissing: false);

        second.KeyId.ShouldBe(keyId);
        new KeySealer(second).Unseal(SealedSecret.FromBytes(stored), "rpm-key-1").ShouldBe(secret);
    }

    [Fact]
    public async Task The_key_on_the_token_is_a_sensitive_never_extractable_aes_256_key_for_encryption_only()
    {
        Open(createIfMissing: true).Dispose();

        var listing = await softHsm.ListObjectsAsync();

        var match = Regex.Match(listing, $@"Secret Key Object; AES length 32\s+label:\s+{keyLabel}\s+ID:\s+([0-9a-f]+)\s+Usage:\s+([^\n]*)\s+Access:\s+([^\n]*)");
        match.Success.ShouldBeTrue(listing);
        match.Groups[2].Value.Trim().ShouldBe("encrypt, decrypt");
        match.Groups[3].Value.ShouldContain("always sensitive");
        match.Groups[3].Value.ShouldContain("never extractable");
        match.Groups[3].Value.ShouldContain("local");
        using var kek = Open(createIfMissing: false);
        kek.KeyId.ShouldEndWith($"/{match.Groups[1].Value}");
    }

    [Fact]
    public void A_wrong_pin_is_refused_with_CKR_PIN_INCORRECT()
    {
        var error = Should.Throw<KeySealingException>(() => Open(createIfMissing: true, pin: "4321"));

        error.Message.ShouldStartWith("PKCS#11: C_Login failed with CKR_PIN_INCORRECT; check the PIN");
        error.Pkcs11ReturnValue.ShouldBe("CKR_PIN_INCORRECT");
    }

    [Fact]
    public void A_wrong_pin_is_refused_even_while_another_handle_has_the_token_logged_in()
    {
        using var loggedIn = Open(createIfMissing: true);

        var error = Should.Throw<KeySealingException>(() => Open(createIfMissing: false, pin: "4321"));
        using var second = Open(createIfMissing: false);

        error.Pkcs11ReturnValue.ShouldBe("CKR_PIN_INCORRECT");
        second.KeyId.ShouldBe(loggedIn.KeyId);
        new KeySealer(second).Unseal(new KeySealer(loggedIn).Seal([1, 2, 3], "k"), "k").ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void An_unknown_token_label_names_the_tokens_present_and_the_setting()
    {
        var error = Should.Throw<KeySealingException>(() =>
            Pkcs11KeyEncryptionKey.Open(SoftHsmFixture.Library, "no-such-token", SoftHsmFixture.Pin, keyLabel, createIfMissing: true));

        error.Message.ShouldContain("no initialised token labelled 'no-such-token'");
        error.Message.ShouldContain($"tokens present: '{SoftHsmFixture.Token}'");
        error.Message.ShouldContain("Forgeline:Signing:Kms:Pkcs11Token");
        error.Pkcs11ReturnValue.ShouldBe("CKR_TOKEN_NOT_PRESENT");
    }

    [Fact]
    public void A_missing_key_is_only_created_when_allowed()
    {
        var error = Should.Throw<KeySealingException>(() => Open(createIfMissing: false));

        error.Message.ShouldContain($"token '{SoftHsmFixture.Token}' has no secret key labelled '{keyLabel}'");
        error.Message.ShouldContain("Pkcs11CreateKeyIfMissing");
    }

    [Fact]
    public void A_module_that_cannot_be_loaded_is_named()
    {
        var error = Should.Throw<KeySealingException>(() =>
            Pkcs11KeyEncryptionKey.Open("/usr/lib/no-such-pkcs11.so", SoftHsmFixture.Token, SoftHsmFixture.Pin, keyLabel, createIfMissing: true));

        error.Message.ShouldContain("cannot load the module /usr/lib/no-such-pkcs11.so");
        error.Message.ShouldContain("Forgeline:Signing:Kms:Pkcs11Library");
    }

    [Fact]
    public void A_key_sealed_by_the_file_provider_is_refused_with_both_key_ids()
    {
        using var directory = new TempDirectory("forgeline-kms");
        using var fileKek = FileKeyEncryptionKey.OpenOrCreate(directory["master.key"]);
        var sealedSecret = new KeySealer(fileKek).Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");
        using var kek = Open(createIfMissing: true);

        var error = Should.Throw<KeySealingException>(() => new KeySealer(kek).Unseal(sealedSecret, "rpm-key-1"));

        error.Message.ShouldContain($"sealed with key-encryption key file:{fileKek.KeyId}");
        error.Message.ShouldContain($"this server's key-encryption key is pkcs11:{kek.KeyId}");
        error.Message.ShouldContain("restore the original master key file");
    }

    [Theory]
    [InlineData("version", 0)]
    [InlineData("iv", 6)]
    [InlineData("encrypted data key", 20)]
    [InlineData("tag", 60)]
    public void A_modified_wrapped_data_key_is_refused_by_the_token(string region, int offset)
    {
        using var kek = Open(createIfMissing: true);
        var sealer = new KeySealer(kek);
        var sealedSecret = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");
        var wrapped = (byte[])sealedSecret.WrappedDataKey.Clone();
        wrapped[offset] ^= 0x04;

        var error = Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret with { WrappedDataKey = wrapped }, "rpm-key-1"));

        wrapped.Length.ShouldBe(1 + 12 + 32 + 16);
        error.Message.ShouldContain("the sealed key was modified", customMessage: region);
        sealer.Unseal(sealedSecret, "rpm-key-1").Length.ShouldBe(32);
    }

    [Fact]
    public void One_handle_serves_many_threads()
    {
        using var kek = Open(createIfMissing: true);
        var sealer = new KeySealer(kek);
        var secrets = Enumerable.Range(0, 32).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var results = new byte[secrets.Length][];

        Parallel.For(0, secrets.Length, i => results[i] = sealer.Unseal(sealer.Seal(secrets[i], $"key-{i}"), $"key-{i}"));

        results.ShouldBe(secrets);
    }

    [Fact]
    public void The_factory_opens_the_pkcs11_provider()
    {
        using var kek = KeyEncryptionKeyFactory.Create(new KmsOptions
        {
            Provider = "pkcs11",
            Pkcs11Library = SoftHsmFixture.Library,
            Pkcs11Token = SoftHsmFixture.Token,
            Pkcs11Pin = SoftHsmFixture.Pin,
            Pkcs11KeyLabel = keyLabel,
        });

        kek.ShouldBeOfType<Pkcs11KeyEncryptionKey>().KeyId.ShouldStartWith($"{SoftHsmFixture.Token}/{keyLabel}/");
    }

    private Pkcs11KeyEncryptionKey Open(bool createIfMissing, string pin = SoftHsmFixture.Pin) =>
        Pkcs11KeyEncryptionKey.Open(SoftHsmFixture.Library, SoftHsmFixture.Token, pin, keyLabel, createIfMissing);
}

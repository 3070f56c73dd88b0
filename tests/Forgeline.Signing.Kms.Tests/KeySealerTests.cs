using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.Kms.Tests;

public sealed class KeySealerTests : IDisposable
{
    private readonly TempDirectory directory = new("forgeline-kms");
    private readonly FileKeyEncryptionKey kek;
    private readonly KeySealer sealer;

    public KeySealerTests()
    {
        kek = FileKeyEncryptionKey.OpenOrCreate(directory["master.key"]);
        sealer = new KeySealer(kek);
    }

    public void Dispose()
    {
        kek.Dispose();
        directory.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3000)]
    public void Round_trips_through_the_stored_bytes(int length)
    {
        var secret = RandomNumberGenerator.GetBytes(length);

        var stored = sealer.Seal(secret, "openeuler-rpm-2024").ToBytes();
        var restored = SealedSecret.FromBytes(stored);

        restored.Provider.ShouldBe("file");
        restored.KekId.ShouldBe(kek.KeyId);
        sealer.Unseal(restored, "openeuler-rpm-2024").ShouldBe(secret);
    }

    [Theory]
    [InlineData("version", 0)]
    [InlineData("nonce", 1)]
    [InlineData("nonce", 12)]
    [InlineData("tag", 13)]
    [InlineData("tag", 28)]
    [InlineData("body", 29)]
    [InlineData("body", 60)]
    public void A_modified_ciphertext_is_refused(string region, int offset)
    {
        var sealedSecret = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");
        var ciphertext = (byte[])sealedSecret.Ciphertext.Clone();
        ciphertext[offset] ^= 0x01;

        var error = Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret with { Ciphertext = ciphertext }, "rpm-key-1"));

        error.Message.ShouldContain("the sealed key was modified", customMessage: region);
    }

    [Theory]
    [InlineData("version", 0)]
    [InlineData("nonce", 5)]
    [InlineData("tag", 20)]
    [InlineData("encrypted data key", 40)]
    public void A_modified_wrapped_data_key_is_refused(string region, int offset)
    {
        var sealedSecret = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");
        var wrapped = (byte[])sealedSecret.WrappedDataKey.Clone();
        wrapped[offset] ^= 0x80;

        var error = Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret with { WrappedDataKey = wrapped }, "rpm-key-1"));

        error.Message.ShouldContain("the sealed key was modified", customMessage: region);
    }

    [Fact]
    public void A_truncated_ciphertext_or_wrapped_key_is_refused()
    {
        var sealedSecret = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");

        Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret with { Ciphertext = sealedSecret.Ciphertext[..20] }, "rpm-key-1"))
            .Message.ShouldContain("modified");
        Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret with { WrappedDataKey = sealedSecret.WrappedDataKey[..60] }, "rpm-key-1"))
            .Message.ShouldContain("modified");
    }

    [Fact]
    public void A_sealed_key_moved_to_another_keys_row_is_refused()
    {
        var sealedSecret = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");

        var error = Should.Throw<KeySealingException>(() => sealer.Unseal(sealedSecret, "rpm-key-2"));

        error.Message.ShouldContain("another key than 'rpm-key-2'");
    }

    [Fact]
    public void Swapping_data_keys_between_two_sealed_keys_is_refused()
    {
        var first = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");
        var second = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");

        Should.Throw<KeySealingException>(() => sealer.Unseal(first with { WrappedDataKey = second.WrappedDataKey }, "rpm-key-1"))
            .Message.ShouldContain("modified");
    }

    [Fact]
    public void The_stored_bytes_do_not_contain_the_secret()
    {
        var secret = RandomNumberGenerator.GetBytes(32);

        var stored = sealer.Seal(secret, "rpm-key-1").ToBytes();

        stored.AsSpan().IndexOf(secret).ShouldBe(-1);
        stored.AsSpan().IndexOf(secret.AsSpan(0, 8)).ShouldBe(-1);
        stored.AsSpan().IndexOf(File.ReadAllBytes(directory["master.key"])).ShouldBe(-1);
    }

    [Fact]
    public void Sealing_twice_gives_different_data_keys_and_ciphertexts()
    {
        var secret = RandomNumberGenerator.GetBytes(32);

        var first = sealer.Seal(secret, "rpm-key-1");
        var second = sealer.Seal(secret, "rpm-key-1");

        first.Ciphertext.ShouldNotBe(second.Ciphertext);
        first.WrappedDataKey.ShouldNotBe(second.WrappedDataKey);
        sealer.Unseal(first, "rpm-key-1").ShouldBe(sealer.Unseal(second, "rpm-key-1"));
    }

    [Fact]
    public void Seals_and_unseals_from_many_threads_at_once()
    {
        var secrets = Enumerable.Range(0, 64).Select(_ => RandomNumberGenerator.GetBytes(48)).ToArray();

        var results = new byte[secrets.Length][];

        Parallel.For(0, secrets.Length, i => results[i] = sealer.Unseal(sealer.Seal(secrets[i], $"key-{i}"), $"key-{i}"));

        results.ShouldBe(secrets);
    }

    [Fact]
    public void A_stored_key_whose_key_encryption_key_id_was_edited_is_refused_before_decrypting()
    {
        var stored = sealer.Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1").ToBytes();
        var id = System.Text.Encoding.ASCII.GetBytes(kek.KeyId);
        var at = stored.AsSpan().IndexOf(id);
        stored[at] = (byte)(stored[at] == (byte)'0' ? '1' : '0');

        var error = Should.Throw<KeySealingException>(() => sealer.Unseal(SealedSecret.FromBytes(stored), "rpm-key-1"));

        error.Message.ShouldContain($"this server's master key is file:{kek.KeyId}");
    }

    [Fact]
    public void An_empty_context_is_refused()
    {
        Should.Throw<ArgumentException>(() => sealer.Seal(new byte[32], ""));
    }
}

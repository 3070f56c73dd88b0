using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.Kms.Tests;

public sealed class FileKeyEncryptionKeyTests : IDisposable
{
    private readonly TempDirectory directory = new("forgeline-kms");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void Creates_a_32_byte_master_key_readable_only_by_its_owner_in_a_new_private_directory()
    {
        var path = directory["state/keys/master.key"];

        using var kek = FileKeyEncryptionKey.OpenOrCreate(path);

        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        new FileInfo(path).Length.ShouldBe(32);
        File.GetUnixFileMode(directory["state/keys"]).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(directory["state/keys"]).ShouldBe([path]);
        File.ReadAllBytes(path).ShouldNotBe(new byte[32]);
    }

    [Fact]
    public void Key_id_is_the_first_16_hex_digits_of_the_sha256_of_the_master_key()
    {
        var path = directory["master.key"];

        using var kek = FileKeyEncryptionKey.OpenOrCreate(path);

        kek.Provider.ShouldBe("file");
        kek.KeyId.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16]);
    }

    [Fact]
    public void A_second_open_loads_the_same_key_and_unseals_what_the_first_sealed()
    {
        var path = directory["master.key"];
        var secret = RandomNumberGenerator.GetBytes(64);
        byte[] stored;
        string firstId;
        using (var first = FileKeyEncryptionKey.OpenOrCreate(path))
        {
            stored = new KeySealer(first).Seal(secret, "rpm-key-1").ToBytes();
            firstId = first.KeyId;
        }

        using var second = FileKeyEncryptionKey.OpenOrCreate(path);

        second.KeyId.ShouldBe(firstId);
        new KeySealer(second).Unseal(SealedSecret.FromBytes(stored), "rpm-key-1").ShouldBe(secret);
    }

    [Fact]
    public void Concurrent_first_opens_agree_on_one_master_key_and_leave_no_temporary_files()
    {
        var path = directory["race/master.key"];

        var ids = Enumerable.Range(0, 8).AsParallel().Select(_ =>
        {
            using var kek = FileKeyEncryptionKey.OpenOrCreate(path);
            return kek.KeyId;
        }).ToList();

        ids.Distinct().ShouldHaveSingleItem();
        Directory.GetFiles(directory["race"]).ShouldBe([path]);
    }

    [Fact]
    public void A_different_master_key_is_named_with_both_key_ids_instead_of_failing_to_decrypt()
    {
        using var original = FileKeyEncryptionKey.OpenOrCreate(directory["original.key"]);
        using var other = FileKeyEncryptionKey.OpenOrCreate(directory["other.key"]);
        var sealedSecret = new KeySealer(original).Seal(RandomNumberGenerator.GetBytes(32), "rpm-key-1");

        var error = Should.Throw<KeySealingException>(() => new KeySealer(other).Unseal(sealedSecret, "rpm-key-1"));

        other.KeyId.ShouldNotBe(original.KeyId);
        error.Message.ShouldContain($"sealed with key-encryption key file:{original.KeyId}");
        error.Message.ShouldContain($"this server's master key is file:{other.KeyId}");
        error.Message.ShouldContain("restore the original master key file");
        error.InnerException.ShouldBeNull();
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherRead, "0404")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite, "0620")]
    public void A_master_key_file_others_may_access_is_refused(UnixFileMode mode, string octal)
    {
        var path = directory["master.key"];
        FileKeyEncryptionKey.OpenOrCreate(path).Dispose();
        File.SetUnixFileMode(path, mode);

        var error = Should.Throw<KeySealingException>(() => FileKeyEncryptionKey.OpenOrCreate(path));

        error.Message.ShouldContain($"the master key file {path} has mode {octal}");
        error.Message.ShouldContain($"chmod 600 {path}");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(33)]
    public void A_master_key_file_that_is_not_32_bytes_is_refused(int length)
    {
        var path = directory["master.key"];
        FileKeyEncryptionKey.OpenOrCreate(path).Dispose();
        var key = File.ReadAllBytes(path);
        byte[] resized = [.. key, .. new byte[Math.Max(0, length - 32)]];
        File.WriteAllBytes(path, resized[..length]);

        var error = Should.Throw<KeySealingException>(() => FileKeyEncryptionKey.OpenOrCreate(path));

        error.Message.ShouldContain($"the master key file {path} is {length} bytes, not 32");
        error.Message.ShouldContain("restore it from your backup");
        new FileInfo(path).Length.ShouldBe(length);
    }

    [Fact]
    public void Wrapping_uses_a_fresh_nonce_and_a_modified_wrapped_key_is_refused()
    {
        using var kek = FileKeyEncryptionKey.OpenOrCreate(directory["master.key"]);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var first = kek.Wrap(dataKey);
        var second = kek.Wrap(dataKey);

        first.ShouldNotBe(second);
        kek.Unwrap(second).ShouldBe(dataKey);
        second[^1] ^= 1;
        Should.Throw<KeySealingException>(() => kek.Unwrap(second)).Message.ShouldContain("modified");
    }
}

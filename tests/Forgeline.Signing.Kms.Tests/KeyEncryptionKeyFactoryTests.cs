using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.Kms.Tests;

public sealed class KeyEncryptionKeyFactoryTests
{
    [Fact]
    public void An_unknown_provider_names_the_setting_and_the_choices()
    {
        var error = Should.Throw<KeySealingException>(() => KeyEncryptionKeyFactory.Create(new KmsOptions { Provider = "vault" }));

        error.Message.ShouldContain("'vault'");
        error.Message.ShouldContain("Forgeline:Signing:Kms:Provider");
        error.Message.ShouldContain("'file' or 'pkcs11'");
    }

    [Fact]
    public void The_file_provider_needs_a_master_key_path()
    {
        var error = Should.Throw<KeySealingException>(() => KeyEncryptionKeyFactory.Create(new KmsOptions()));

        error.Message.ShouldContain("Forgeline:Signing:Kms:MasterKeyPath is not set");
    }

    [Fact]
    public void The_pkcs11_provider_needs_a_token_and_a_pin()
    {
        Should.Throw<KeySealingException>(() => KeyEncryptionKeyFactory.Create(new KmsOptions { Provider = "pkcs11", Pkcs11Pin = "1234" }))
            .Message.ShouldContain("Forgeline:Signing:Kms:Pkcs11Token is not set");
        Should.Throw<KeySealingException>(() => KeyEncryptionKeyFactory.Create(new KmsOptions { Provider = "pkcs11", Pkcs11Token = "hsm" }))
            .Message.ShouldContain("Forgeline:Signing:Kms:Pkcs11Pin is not set");
    }

    [Fact]
    public void The_file_provider_opens_the_master_key_file_whatever_the_case_of_its_name()
    {
        using var directory = new TempDirectory("forgeline-kms");
        var path = directory["master.key"];

        using var kek = KeyEncryptionKeyFactory.Create(new KmsOptions { Provider = "FILE", MasterKeyPath = path });

        kek.ShouldBeOfType<FileKeyEncryptionKey>().Path.ShouldBe(path);
        kek.KeyId.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16]);
    }
}

namespace Forgeline.Signing.Kms;

/// <summary>Opens the key-encryption key that <see cref="KmsOptions"/> describe.</summary>
public static class KeyEncryptionKeyFactory
{
    /// <summary>Opens (or creates, where allowed) the configured key-encryption key; throws <see cref="KeySealingException"/> naming the setting that is wrong.</summary>
    public static IKeyEncryptionKey Create(KmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = options.Provider?.Trim() ?? string.Empty;
        if (provider.Equals(FileKeyEncryptionKey.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return FileKeyEncryptionKey.OpenOrCreate(Required(options.MasterKeyPath, nameof(KmsOptions.MasterKeyPath), "the path of the master key file"));
        }

        if (provider.Equals(Pkcs11KeyEncryptionKey.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return Pkcs11KeyEncryptionKey.Open(
                Required(options.Pkcs11Library, nameof(KmsOptions.Pkcs11Library), "the path of the PKCS#11 module"),
                Required(options.Pkcs11Token, nameof(KmsOptions.Pkcs11Token), "the label of the token"),
                Required(options.Pkcs11Pin, nameof(KmsOptions.Pkcs11Pin), "the token's user PIN"),
                Required(options.Pkcs11KeyLabel, nameof(KmsOptions.Pkcs11KeyLabel), "the label of the AES key on the token"),
                options.Pkcs11CreateKeyIfMissing);
        }

        throw new KeySealingException(
            $"unknown key-encryption key provider '{options.Provider}' in {KmsOptions.Section}:{nameof(KmsOptions.Provider)}; use '{FileKeyEncryptionKey.ProviderName}' or '{Pkcs11KeyEncryptionKey.ProviderName}'");
    }

    private static string Required(string? value, string setting, string what) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new KeySealingException($"{KmsOptions.Section}:{setting} is not set; set it to {what}")
            : value;
}

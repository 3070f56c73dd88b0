namespace Forgeline.Signing.Kms;

/// <summary>Where the key-encryption key lives; bound from <c>Forgeline:Signing:Kms</c>.</summary>
public sealed class KmsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Forgeline:Signing:Kms";

    /// <summary><c>file</c> (a master key file) or <c>pkcs11</c> (an AES key inside an HSM).</summary>
    public string Provider { get; set; } = "file";

    /// <summary>The master key file of the <c>file</c> provider; created (mode 0600) when missing.</summary>
    public string? MasterKeyPath { get; set; }

    /// <summary>The PKCS#11 module of the <c>pkcs11</c> provider.</summary>
    public string? Pkcs11Library { get; set; } = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>The label of the token holding the key-encryption key.</summary>
    public string? Pkcs11Token { get; set; }

    /// <summary>The token's user PIN.</summary>
    public string? Pkcs11Pin { get; set; }

    /// <summary>The label (CKA_LABEL) of the AES key-encryption key on the token.</summary>
    public string Pkcs11KeyLabel { get; set; } = "forgeline-kek";

    /// <summary>Whether to generate the key on the token (non-extractable) when no key has <see cref="Pkcs11KeyLabel"/>.</summary>
    public bool Pkcs11CreateKeyIfMissing { get; set; } = true;
}

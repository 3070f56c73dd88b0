using Forgeline.Signing.OpenPgp.Keys;

namespace Forgeline.Signing.OpenPgp;

/// <summary>The facts of a public signing key, read from its armored export after checking its self-signature.</summary>
public sealed class OpenPgpPublicKeyInfo
{
    internal OpenPgpPublicKeyInfo(KeyDescription description)
    {
        Description = description;
    }

    /// <summary>The v4 fingerprint, 40 upper-case hex digits.</summary>
    public string Fingerprint => Description.Key.FingerprintHex;

    /// <summary>The key ID, 16 upper-case hex digits.</summary>
    public string KeyId => Description.Key.KeyIdHex;

    /// <summary>The key type.</summary>
    public OpenPgpAlgorithm Algorithm => Description.Algorithm;

    /// <summary>The primary user ID.</summary>
    public string UserId => Description.UserId;

    /// <summary>Key creation time.</summary>
    public DateTimeOffset CreatedAt => Description.CreatedAt;

    /// <summary>When the key expires, or null when it does not.</summary>
    public DateTimeOffset? ExpiresAt => Description.ExpiresAt;

    internal KeyDescription Description { get; }

    internal PublicKeyData Key => Description.Key;

    /// <summary>Parses an ASCII-armored public key (gpg --export --armor); throws <see cref="OpenPgpFormatException"/> when it is not a usable signing key.</summary>
    public static OpenPgpPublicKeyInfo Parse(string armoredPublicKey)
    {
        ArgumentNullException.ThrowIfNull(armoredPublicKey);
        TransferableKey key = TransferableKey.Decode(armoredPublicKey, "public key");
        if (key.IsSecret)
        {
            throw new OpenPgpFormatException(
                "this is a secret key, not a public key; pass the public key (gpg --export --armor KEYID) and keep the secret one private");
        }

        return new OpenPgpPublicKeyInfo(KeyDescription.Of(key, "public key"));
    }
}

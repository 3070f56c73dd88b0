namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>signing_keys</c> table: public parts in clear, the private key only sealed.</summary>
public sealed class SigningKeyRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique name users sign with.</summary>
    public required string Name { get; set; }

    /// <summary><c>openpgp</c> or <c>x509</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>e.g. <c>rsa4096</c>, <c>ed25519</c>, <c>ecdsa-p256</c>.</summary>
    public required string Algorithm { get; set; }

    /// <summary>Space-separated formats the key may sign: rpm, file, container, kmod, efi, ca.</summary>
    public required string Purposes { get; set; }

    /// <summary>OpenPGP fingerprint, or the certificate's SHA-256 thumbprint.</summary>
    public required string Fingerprint { get; set; }

    /// <summary>OpenPGP key id, or the certificate serial number.</summary>
    public string? KeyId { get; set; }

    /// <summary>OpenPGP user id, or the certificate subject.</summary>
    public required string Identity { get; set; }

    /// <summary>Armored OpenPGP public key, or the PEM certificate.</summary>
    public required string PublicKey { get; set; }

    /// <summary>For X.509: the name of the key that issued the certificate (null for a root or an import).</summary>
    public string? IssuerName { get; set; }

    /// <summary>The private key, sealed (see Forgeline.Signing.Kms); never returned by any API.</summary>
    public required byte[] SealedPrivateKey { get; set; }

    /// <summary>Which key-encryption key sealed it, e.g. <c>file:1a2b…</c>.</summary>
    public required string SealedBy { get; set; }

    /// <summary>Creation time (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>After this the key refuses to sign.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>A disabled key refuses to sign.</summary>
    public bool Disabled { get; set; }

    /// <summary>Space-separated token names allowed to sign with it; <c>*</c> for every token with the sign scope.</summary>
    public required string AllowedSigners { get; set; }
}

namespace Forgeline.Signing.OpenPgp;

/// <summary>A signing key ready to store: the unprotected secret key (seal it with the KMS before it touches disk) and its public facts.</summary>
/// <param name="SecretKey">Binary transferable secret key (primary key, user ID, self-signature), NOT passphrase-protected.</param>
/// <param name="ArmoredPublicKey">The public key as gpg --export --armor prints it; what users import into gpg or rpm.</param>
/// <param name="Fingerprint">The v4 fingerprint, 40 upper-case hex digits.</param>
/// <param name="KeyId">The key ID (low 64 bits of the fingerprint), 16 upper-case hex digits.</param>
/// <param name="Algorithm">The key type.</param>
/// <param name="UserId">The (primary) user ID, such as "Forgeline Release &lt;release@example.org&gt;".</param>
/// <param name="CreatedAt">Key creation time (whole seconds).</param>
/// <param name="ExpiresAt">When the key expires, or null when it does not.</param>
public sealed record OpenPgpKeyMaterial(
    byte[] SecretKey,
    string ArmoredPublicKey,
    string Fingerprint,
    string KeyId,
    OpenPgpAlgorithm Algorithm,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);

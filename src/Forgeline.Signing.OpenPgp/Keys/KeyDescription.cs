namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>What a transferable key says about its primary key once its self-signature is verified.</summary>
internal sealed record KeyDescription(PublicKeyData Key, OpenPgpAlgorithm Algorithm, string UserId, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    /// <summary>Describes <paramref name="key"/>, refusing keys this library cannot sign with.</summary>
    public static KeyDescription Of(TransferableKey key, string what)
    {
        PublicKeyData data = key.Key;
        OpenPgpAlgorithm algorithm = data.SigningAlgorithm ?? throw new OpenPgpFormatException(
            $"key {data.FingerprintHex} is an {data.AlgorithmName} key; only RSA-2048, RSA-3072, RSA-4096 and Ed25519 primary keys " +
            "are supported; generate one of those (gpg --quick-gen-key 'Name <email>' rsa4096 sign never, or ed25519)");
        (string userId, Signatures.SignaturePacket certification) = key.PrimaryUserId() ?? throw new OpenPgpFormatException(
            $"the {what} (key {data.FingerprintHex}) has no user ID with a valid self-signature; export the complete key with gpg");
        if (certification.KeyFlags is byte flags && (flags & 0x02) == 0)
        {
            throw new OpenPgpFormatException(
                $"key {data.FingerprintHex} may not sign: its key flags (0x{flags:x2}) lack \"sign\"; this signer signs with the primary key, " +
                "so use a key created with usage \"sign\"");
        }

        if (key.IsRevoked())
        {
            throw new OpenPgpFormatException($"key {data.FingerprintHex} is revoked; signatures by it would not verify, so use another key");
        }

        DateTimeOffset created = DateTimeOffset.FromUnixTimeSeconds(data.CreatedAt);
        DateTimeOffset? expires = certification.KeyExpirationSeconds is uint seconds and > 0 ? created.AddSeconds(seconds) : null;
        return new KeyDescription(data, algorithm, userId, created, expires);
    }
}

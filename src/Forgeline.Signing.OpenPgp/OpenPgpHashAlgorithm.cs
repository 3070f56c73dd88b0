namespace Forgeline.Signing.OpenPgp;

/// <summary>Digest algorithms the signer accepts, with their OpenPGP algorithm numbers (RFC 4880 section 9.4).</summary>
public enum OpenPgpHashAlgorithm
{
    /// <summary>SHA-256 (OpenPGP hash algorithm 8).</summary>
    Sha256 = 8,

    /// <summary>SHA-512 (OpenPGP hash algorithm 10).</summary>
    Sha512 = 10,
}

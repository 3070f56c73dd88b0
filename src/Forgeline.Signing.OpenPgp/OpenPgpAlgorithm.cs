namespace Forgeline.Signing.OpenPgp;

/// <summary>The key types the OpenPGP signer can generate, import and sign with.</summary>
public enum OpenPgpAlgorithm
{
    /// <summary>RSA with a 2048-bit modulus (OpenPGP public-key algorithm 1).</summary>
    Rsa2048,

    /// <summary>RSA with a 3072-bit modulus (OpenPGP public-key algorithm 1).</summary>
    Rsa3072,

    /// <summary>RSA with a 4096-bit modulus (OpenPGP public-key algorithm 1).</summary>
    Rsa4096,

    /// <summary>Ed25519 as OpenPGP "legacy" EdDSA (public-key algorithm 22, curve OID 1.3.6.1.4.1.11591.15.1) in a v4 key.</summary>
    Ed25519,
}

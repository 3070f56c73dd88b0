namespace Forgeline.Signing.X509;

/// <summary>The key algorithms Forgeline creates and signs with.</summary>
public enum X509Algorithm
{
    /// <summary>RSA with a 2048-bit modulus (the size UEFI firmware is guaranteed to accept).</summary>
    Rsa2048,

    /// <summary>RSA with a 3072-bit modulus.</summary>
    Rsa3072,

    /// <summary>RSA with a 4096-bit modulus.</summary>
    Rsa4096,

    /// <summary>ECDSA on NIST P-256.</summary>
    EcdsaP256,
}

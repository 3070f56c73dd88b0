using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Keys;
using Forgeline.Signing.OpenPgp.Packets;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>Checks a signature packet's MPIs against a digest with a public key (RSA PKCS#1 v1.5 or Ed25519).</summary>
internal static class SignatureVerifier
{
    /// <summary>True when <paramref name="signature"/> is a valid signature by <paramref name="key"/> over <paramref name="digest"/>.</summary>
    public static bool Verify(PublicKeyData key, SignaturePacket signature, ReadOnlySpan<byte> digest)
    {
        try
        {
            return VerifyUnchecked(key, signature, digest);
        }
        catch (OpenPgpFormatException)
        {
            return false; // an MPI longer than the key allows
        }
    }

    private static bool VerifyUnchecked(PublicKeyData key, SignaturePacket signature, ReadOnlySpan<byte> digest)
    {
        if (signature.PublicKeyAlgorithm != key.AlgorithmId || digest.Length < 2 || !digest[..2].SequenceEqual(signature.Left16))
        {
            return false;
        }

        if (key.Ed25519PublicKey is byte[] publicKey && signature.Mpis.Length == 2)
        {
            byte[] rs = [.. OpenPgpMpi.PadLeft(signature.Mpis[0], 32, "EdDSA R"), .. OpenPgpMpi.PadLeft(signature.Mpis[1], 32, "EdDSA S")];
            return Ed25519.Verify(rs, 0, publicKey, 0, digest.ToArray(), 0, digest.Length);
        }

        if (key.RsaModulus is byte[] modulus && signature.Mpis.Length == 1 && SignatureHashing.NameOf(signature.HashAlgorithm) is HashAlgorithmName name)
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = key.RsaExponent });
            byte[] value = OpenPgpMpi.PadLeft(signature.Mpis[0], modulus.Length, "RSA signature");
            return rsa.VerifyHash(digest, value, name, RSASignaturePadding.Pkcs1);
        }

        return false;
    }
}

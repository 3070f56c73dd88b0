using System.Security.Cryptography;

namespace Forgeline.Signing.X509;

/// <summary>The hash algorithms signatures may use, with their OIDs and sizes.</summary>
internal static class DigestAlgorithms
{
    /// <summary>Throws unless <paramref name="hash"/> is SHA-256, SHA-384 or SHA-512.</summary>
    public static void EnsureSupported(HashAlgorithmName hash) => _ = Oid(hash);

    /// <summary>The dotted OID of <paramref name="hash"/>.</summary>
    public static string Oid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => "2.16.840.1.101.3.4.2.1",
        "SHA384" => "2.16.840.1.101.3.4.2.2",
        "SHA512" => "2.16.840.1.101.3.4.2.3",
        _ => throw new X509SigningException(
            $"hash algorithm '{hash.Name}' is not supported for signatures; use SHA256, SHA384 or SHA512"),
    };

    /// <summary>The digest length of <paramref name="hash"/> in bytes.</summary>
    public static int Size(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => 32,
        "SHA384" => 48,
        "SHA512" => 64,
        _ => throw new X509SigningException(
            $"hash algorithm '{hash.Name}' is not supported for signatures; use SHA256, SHA384 or SHA512"),
    };

    /// <summary>Throws when <paramref name="digest"/> is not as long as a <paramref name="hash"/> digest.</summary>
    public static void EnsureDigestLength(ReadOnlySpan<byte> digest, HashAlgorithmName hash)
    {
        var expected = Size(hash);
        if (digest.Length != expected)
        {
            throw new X509SigningException(
                $"the digest is {digest.Length} bytes but a {hash.Name} digest is {expected}; send the hash of the data, not the data");
        }
    }

    /// <summary>The hash whose digest is <paramref name="length"/> bytes (ECDSA does not name it).</summary>
    public static HashAlgorithmName ForLength(int length) => length switch
    {
        32 => HashAlgorithmName.SHA256,
        48 => HashAlgorithmName.SHA384,
        64 => HashAlgorithmName.SHA512,
        _ => throw new X509SigningException($"a {length}-byte digest is not a SHA256, SHA384 or SHA512 digest"),
    };
}

using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Forgeline.Signing.X509;

/// <summary>
/// A private key loaded once from PKCS#8 and kept for repeated digest signing (the service caches these).
/// <see cref="SignDigest"/> is thread-safe: calls on one instance are serialised.
/// </summary>
public sealed class X509PrivateKey : IDisposable
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    private readonly AsymmetricAlgorithm _key;
    private readonly Lock _gate = new();
    private bool _disposed;

    private X509PrivateKey(AsymmetricAlgorithm key, X509Algorithm algorithm)
    {
        _key = key;
        Algorithm = algorithm;
    }

    /// <summary>The key's algorithm.</summary>
    public X509Algorithm Algorithm { get; }

    /// <summary>The key itself, for code in this assembly that issues certificates with it.</summary>
    internal AsymmetricAlgorithm Key => _key;

    /// <summary>Loads an unencrypted PKCS#8 key, checking it is of <paramref name="algorithm"/>.</summary>
    public static X509PrivateKey Load(byte[] pkcs8PrivateKey, X509Algorithm algorithm)
    {
        var key = Load(pkcs8PrivateKey);
        if (key.Algorithm != algorithm)
        {
            key.Dispose();
            throw new X509SigningException($"the private key is {key.Algorithm}, but {algorithm} was expected");
        }

        return key;
    }

    /// <summary>Loads an unencrypted PKCS#8 key of any supported algorithm.</summary>
    public static X509PrivateKey Load(byte[] pkcs8PrivateKey)
    {
        string algorithmOid;
        try
        {
            algorithmOid = Pkcs8PrivateKeyInfo.Decode(pkcs8PrivateKey, out _, skipCopy: true).AlgorithmId.Value ?? "";
        }
        catch (CryptographicException e)
        {
            throw new X509SigningException("the private key is not an unencrypted PKCS#8 key (DER)", e);
        }

        AsymmetricAlgorithm key = algorithmOid switch
        {
            RsaOid => RSA.Create(),
            EcOid => ECDsa.Create(),
            _ => throw new X509SigningException($"private keys of algorithm {algorithmOid} are not supported; use RSA or ECDSA P-256"),
        };
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8PrivateKey, out _);
            return new X509PrivateKey(key, Detect(key));
        }
        catch (Exception e) when (e is CryptographicException or X509SigningException)
        {
            key.Dispose();
            throw e as X509SigningException ?? new X509SigningException("the PKCS#8 private key could not be read", e);
        }
    }

    /// <summary>Makes a new random key.</summary>
    public static X509PrivateKey Generate(X509Algorithm algorithm)
    {
        AsymmetricAlgorithm key = algorithm switch
        {
            X509Algorithm.Rsa2048 => RSA.Create(2048),
            X509Algorithm.Rsa3072 => RSA.Create(3072),
            X509Algorithm.Rsa4096 => RSA.Create(4096),
            X509Algorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            _ => throw new X509SigningException($"unknown algorithm {algorithm}"),
        };
        return new X509PrivateKey(key, algorithm);
    }

    /// <summary>
    /// Signs a digest: RSA PKCS#1 v1.5, or ECDSA in IEEE P1363 form (r || s), as <see cref="DigestSigner"/> specifies.
    /// </summary>
    public byte[] SignDigest(byte[] digest, HashAlgorithmName hash)
    {
        DigestAlgorithms.EnsureDigestLength(digest, hash);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key switch
            {
                RSA rsa => rsa.SignHash(digest, hash, RSASignaturePadding.Pkcs1),
                ECDsa ecdsa => ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => throw new InvalidOperationException("unreachable: keys are RSA or ECDSA"),
            };
        }
    }

    /// <summary>The public key as a SubjectPublicKeyInfo (DER), to compare with a certificate's.</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key.ExportSubjectPublicKeyInfo();
        }
    }

    /// <summary>The key as unencrypted PKCS#8 (DER).</summary>
    public byte[] ExportPkcs8PrivateKey()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key.ExportPkcs8PrivateKey();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _key.Dispose();
        }
    }

    private static X509Algorithm Detect(AsymmetricAlgorithm key) => key switch
    {
        RSA { KeySize: 2048 } => X509Algorithm.Rsa2048,
        RSA { KeySize: 3072 } => X509Algorithm.Rsa3072,
        RSA { KeySize: 4096 } => X509Algorithm.Rsa4096,
        RSA rsa => throw new X509SigningException($"RSA keys of {rsa.KeySize} bits are not supported; use 2048, 3072 or 4096"),
        ECDsa ecdsa when IsP256(ecdsa) => X509Algorithm.EcdsaP256,
        ECDsa => throw new X509SigningException("only ECDSA keys on the P-256 curve (prime256v1) are supported"),
        _ => throw new X509SigningException("only RSA and ECDSA keys are supported"),
    };

    private static bool IsP256(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == "1.2.840.10045.3.1.7" || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256");
    }
}

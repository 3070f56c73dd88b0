using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp.Keys;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp;

/// <summary>
/// A loaded signing key: the server side of "remote signing, local assembly". The private-key object is created once
/// (RSA through OpenSSL, Ed25519 through BouncyCastle) and every Sign method is safe to call in parallel.
/// </summary>
public sealed class OpenPgpPrivateKey : IDisposable
{
    /// <summary>How far a prepared signature's creation time may be from the signer's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>Largest payload <see cref="SignMessage"/> accepts (container signature payloads are a few hundred bytes).</summary>
    public const int MaxMessagePayloadLength = 1024 * 1024;

    private const byte Sha256 = (byte)OpenPgpHashAlgorithm.Sha256;
    private const byte BinaryDocument = 0x00;

    private readonly DigestSigner _signer;
    private volatile bool _disposed;

    private OpenPgpPrivateKey(KeyDescription description, DigestSigner signer)
    {
        PublicKey = new OpenPgpPublicKeyInfo(description);
        _signer = signer;
    }

    /// <summary>The v4 fingerprint, 40 upper-case hex digits.</summary>
    public string Fingerprint => PublicKey.Fingerprint;

    /// <summary>The key ID, 16 upper-case hex digits.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>The key type.</summary>
    public OpenPgpAlgorithm Algorithm => PublicKey.Algorithm;

    /// <summary>The public facts of this key (user ID, creation and expiry).</summary>
    public OpenPgpPublicKeyInfo PublicKey { get; }

    private PublicKeyData Key => PublicKey.Key;

    /// <summary>Loads an unprotected binary transferable secret key, as <see cref="OpenPgpKeyMaterial.SecretKey"/> holds it.</summary>
    public static OpenPgpPrivateKey Load(byte[] secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        TransferableKey key = TransferableKey.Parse(secretKey, "secret key");
        if (!key.IsSecret)
        {
            throw new OpenPgpFormatException(
                $"key {key.Key.FingerprintHex} is a public key; loading needs the secret key (OpenPgpKeyMaterial.SecretKey)");
        }

        KeyDescription description = KeyDescription.Of(key, "secret key");
        if (key.SecretFields is [not 0, ..])
        {
            throw new OpenPgpFormatException(
                $"secret key {description.Key.FingerprintHex} is passphrase-protected; import it with OpenPgpKeyFactory.Import first, " +
                "which stores it unprotected for the KMS to seal");
        }

        SecretKeyMaterial secret = SecretKeyMaterial.Decode(key.SecretFields, description.Key, null, description.Key.FingerprintHex);
        return new OpenPgpPrivateKey(description, DigestSigner.Create(description.Key, secret, description.Key.FingerprintHex));
    }

    /// <summary>
    /// Signs a digest a client computed (see <see cref="OpenPgpDetachedSignature.Prepare"/>) after checking its hashed area; returns
    /// the binary signature packet. Throws <see cref="OpenPgpRequestException"/> for anything but a current binary-document
    /// signature by this key with SHA-256 or SHA-512.
    /// </summary>
    public byte[] SignPrepared(OpenPgpPreparedSignature prepared, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        CheckUsable(now);
        PreparedSignatureValidator.Validate(prepared, Key, now, MaxClockSkew);
        byte hash = (byte)prepared.Hash;
        return SignatureAssembler.Packet(prepared.HashedArea, Key.KeyId, prepared.Digest, _signer.Sign(hash, prepared.Digest));
    }

    /// <summary>
    /// Signs an RPM main header (the bytes from its magic 8E AD E8 01 to the end of its data store, as
    /// <see cref="RpmSignatureApplier.ReadHeaderForSigning"/> returns them) with SHA-256: the header-only v4 signature rpm 4.18 checks.
    /// Returns the binary signature packet. Throws <see cref="RpmFormatException"/> when the bytes are not a well-formed header.
    /// </summary>
    public byte[] SignRpmHeader(ReadOnlySpan<byte> headerBytes, DateTimeOffset now)
    {
        CheckUsable(now);
        RpmHeader header = RpmHeader.Parse(headerBytes);
        if (header.RegionTag != RpmTag.HeaderImmutable)
        {
            throw new OpenPgpRequestException(
                $"refusing to sign: the bytes are an RPM header but not a package's main header (region tag {header.RegionTag?.ToString() ?? "none"}, " +
                "expected 63); send the main header as RpmSignatureApplier.ReadHeaderForSigning returns it, not the signature header");
        }

        byte[] hashedArea = SignatureAssembler.DocumentHashedArea(BinaryDocument, Key, Sha256, Seconds(now));
        byte[] digest = SignatureHashing.OfDocument(Sha256, headerBytes, hashedArea);
        return SignatureAssembler.Packet(hashedArea, Key.KeyId, digest, _signer.Sign(Sha256, digest));
    }

    /// <summary>
    /// Signs a small payload into a complete OpenPGP signed message (one-pass signature, literal data, signature), the format of
    /// container "simple signing" signatures.
    /// </summary>
    public byte[] SignMessage(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        CheckUsable(now);
        if (payload.Length > MaxMessagePayloadLength)
        {
            throw new OpenPgpRequestException(
                $"refusing to sign a {payload.Length}-byte message: at most {MaxMessagePayloadLength} bytes are signed inline; " +
                "sign larger data with a detached signature");
        }

        uint created = Seconds(now);
        byte[] hashedArea = SignatureAssembler.DocumentHashedArea(BinaryDocument, Key, Sha256, created);
        byte[] digest = SignatureHashing.OfDocument(Sha256, payload, hashedArea);
        byte[] signature = SignatureAssembler.Packet(hashedArea, Key.KeyId, digest, _signer.Sign(Sha256, digest));
        return SignedMessageWriter.Write(Key, Sha256, created, payload, signature);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _signer.Dispose();
    }

    private static uint Seconds(DateTimeOffset time)
    {
        long seconds = time.ToUnixTimeSeconds();
        return seconds is >= 0 and <= uint.MaxValue
            ? (uint)seconds
            : throw new ArgumentOutOfRangeException(nameof(time), time, "OpenPGP times must lie between 1970 and 2106");
    }

    private void CheckUsable(DateTimeOffset now)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (now < PublicKey.CreatedAt)
        {
            throw new OpenPgpRequestException(
                $"key {Fingerprint} was created at {PublicKey.CreatedAt:u}, after the signing time {now:u}; verifiers reject such " +
                "signatures, so check the signer's clock");
        }

        if (PublicKey.ExpiresAt is DateTimeOffset expires && now >= expires)
        {
            throw new OpenPgpRequestException(
                $"key {Fingerprint} expired at {expires:u}; extend its expiry (and republish the public key) or sign with another key");
        }
    }
}

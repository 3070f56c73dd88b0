using System.Buffers;
using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Packets;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp;

/// <summary>
/// The client side of detached signatures: hash the file locally, send only the <see cref="OpenPgpPreparedSignature"/> to the signer,
/// and armor (or check) the packet it returns.
/// </summary>
public static class OpenPgpDetachedSignature
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>
    /// Streams <paramref name="data"/> through <paramref name="hash"/> (SHA-256 or SHA-512) and returns the prepared binary-document
    /// signature for <paramref name="key"/>, created at <paramref name="now"/>.
    /// </summary>
    public static OpenPgpPreparedSignature Prepare(OpenPgpPublicKeyInfo key, Stream data, DateTimeOffset now, HashAlgorithmName hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(data);
        OpenPgpHashAlgorithm algorithm = hash == HashAlgorithmName.SHA256 ? OpenPgpHashAlgorithm.Sha256
            : hash == HashAlgorithmName.SHA512 ? OpenPgpHashAlgorithm.Sha512
            : throw new ArgumentException($"hash {hash} is not signed; use SHA256 or SHA512", nameof(hash));
        long seconds = now.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "OpenPGP times must lie between 1970 and 2106");
        }

        byte[] hashedArea = SignatureAssembler.DocumentHashedArea(0x00, key.Key, (byte)algorithm, (uint)seconds);
        using IncrementalHash digest = SignatureHashing.Create((byte)algorithm);
        Feed(digest, data);
        return new OpenPgpPreparedSignature(0x00, algorithm, hashedArea, SignatureHashing.Finish(digest, hashedArea));
    }

    /// <summary>ASCII-armors a binary signature packet as -----BEGIN PGP SIGNATURE-----, the form gpg --armor --detach-sign writes.</summary>
    public static string Armor(byte[] signaturePacket)
    {
        ArgumentNullException.ThrowIfNull(signaturePacket);
        List<OpenPgpPacket> packets = OpenPgpPacketReader.ReadAll(signaturePacket, "signature");
        if (packets.Any(p => p.Tag != OpenPgpPacket.Signature))
        {
            throw new OpenPgpFormatException("the data to armor is not a signature packet; pass what the signer returned");
        }

        return OpenPgpArmor.Encode(OpenPgpArmor.Signature, signaturePacket);
    }

    /// <summary>
    /// True when <paramref name="signaturePacket"/> (binary, or armored as bytes) is a valid binary-document signature by
    /// <paramref name="key"/> over <paramref name="data"/>; lets a client check the signer's answer before publishing it.
    /// </summary>
    public static bool Verify(OpenPgpPublicKeyInfo key, Stream data, byte[] signaturePacket)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signaturePacket);
        byte[] binary = signaturePacket is [< 0x80, ..]
            ? OpenPgpArmor.Decode(System.Text.Encoding.UTF8.GetString(signaturePacket), "signature").Data
            : signaturePacket;
        List<OpenPgpPacket> packets = OpenPgpPacketReader.ReadAll(binary, "signature");
        if (packets is not [{ Tag: OpenPgpPacket.Signature } packet])
        {
            throw new OpenPgpFormatException("the signature must be exactly one OpenPGP signature packet");
        }

        SignaturePacket signature = SignaturePacket.Parse(packet.Body, "signature");
        if (signature.SignatureType != 0x00 || !signature.IsIssuedBy(key.Key.Fingerprint) || SignatureHashing.NameOf(signature.HashAlgorithm) is null)
        {
            return false;
        }

        using IncrementalHash digest = SignatureHashing.Create(signature.HashAlgorithm);
        Feed(digest, data);
        return SignatureVerifier.Verify(key.Key, signature, SignatureHashing.Finish(digest, signature.HashedArea));
    }

    private static void Feed(IncrementalHash digest, Stream data)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = data.Read(buffer, 0, BufferSize)) > 0)
            {
                digest.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

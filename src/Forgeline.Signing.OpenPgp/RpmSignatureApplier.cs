using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp.Packets;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp;

/// <summary>
/// The client side of RPM signing: read the main header to send to the signer, then write the package again with the returned
/// header signature. Only the signature header changes; lead, main header and payload are copied byte for byte.
/// </summary>
public static class RpmSignatureApplier
{
    /// <summary>
    /// The OpenPGP signature tags rpm knows; all are removed before the new signature goes in, so re-signing replaces
    /// (RPMSIGTAG_DSA 267, RPMSIGTAG_RSA 268, RPMSIGTAG_PGP 1002, RPMSIGTAG_GPG 1005).
    /// </summary>
    private static readonly int[] OpenPgpSignatureTags = [RpmSignatureTag.Dsa, RpmSignatureTag.Rsa, RpmSignatureTag.Pgp, RpmSignatureTag.Gpg];

    /// <summary>
    /// Reads a v4 package from its start to its end, checks every digest it carries (<see cref="RpmIntegrity"/>) and returns
    /// its main header bytes, which is what <see cref="OpenPgpPrivateKey.SignRpmHeader"/> signs. Throws
    /// <see cref="RpmFormatException"/> for files that are not RPMs, are v3 packages, or are corrupt (a digest or the size
    /// does not match, as rpmsign refuses them: "not signing a corrupt package: Payload SHA256 digest: BAD …").
    /// </summary>
    public static byte[] ReadHeaderForSigning(Stream package)
    {
        ArgumentNullException.ThrowIfNull(package);
        RpmIntegrityReport report = RpmIntegrity.Check(package);
        if (!report.IsIntact)
        {
            // A signature vouches for the payload too (through the header's payload digest): never lend it to damaged bytes.
            throw new RpmFormatException($"not signing a corrupt package: {report.Problem}");
        }

        return report.Package.Header.RawBytes.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="package"/> to <paramref name="destination"/> with <paramref name="signaturePacket"/> as its only OpenPGP
    /// signature: earlier RSA/DSA/PGP/GPG signatures are removed, the new one goes where rpm 4.18's rpmsign puts it (RSA keys in
    /// RPMSIGTAG_RSA 268, EdDSA keys in RPMSIGTAG_DSA 267), and RPMSIGTAG_RESERVEDSPACE shrinks so the signature header keeps its size.
    /// Everything is checked before the first byte is written, including (for seekable streams) that the payload is as long as the
    /// signature header records. <paramref name="package"/> must be positioned at the start of the file.
    /// </summary>
    public static void Apply(Stream package, byte[] signaturePacket, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(signaturePacket);
        ArgumentNullException.ThrowIfNull(destination);
        if (package.CanSeek && package.Position != 0)
        {
            throw new ArgumentException("the package stream must be positioned at the start of the file", nameof(package));
        }

        RpmPackage parsed = RpmPackage.Read(package);
        CheckPayloadLength(package, parsed);
        int tag = SignatureTagFor(signaturePacket, parsed.Header.RawBytes.Span);

        RpmHeader signature = parsed.Signature.Clone();
        foreach (int old in OpenPgpSignatureTags)
        {
            signature.Remove(old);
        }

        signature.SetBinary(tag, signaturePacket);
        KeepSize(signature, parsed.Signature.RawBytes.Length);
        RpmPackage.WriteWithSignature(package, parsed, signature, destination);
    }

    private static int SignatureTagFor(byte[] signaturePacket, ReadOnlySpan<byte> header)
    {
        List<OpenPgpPacket> packets = OpenPgpPacketReader.ReadAll(signaturePacket, "RPM header signature");
        if (packets is not [{ Tag: OpenPgpPacket.Signature } packet])
        {
            throw new OpenPgpFormatException(
                "the RPM header signature must be exactly one OpenPGP signature packet, as OpenPgpPrivateKey.SignRpmHeader returns it");
        }

        SignaturePacket signature = SignaturePacket.Parse(packet.Body, "RPM header signature");
        if (signature.SignatureType != 0x00)
        {
            throw new OpenPgpFormatException($"the RPM header signature has type 0x{signature.SignatureType:x2}; rpm needs a binary document signature (0x00)");
        }

        // rpm 4.18's rpmsign stores RSA header signatures in RPMSIGTAG_RSA and DSA and EdDSA ones in RPMSIGTAG_DSA.
        int tag = signature.PublicKeyAlgorithm switch
        {
            1 or 3 => RpmSignatureTag.Rsa,
            17 or 22 => RpmSignatureTag.Dsa,
            byte other => throw new OpenPgpFormatException($"rpm 4.18 cannot check header signatures made with public-key algorithm {other}; use an RSA or Ed25519 key"),
        };

        // The packet carries the first two bytes of the digest it signed; comparing them catches a signature made for another package.
        byte[] digest = SignatureHashing.OfDocument(signature.HashAlgorithm, header, signature.HashedArea);
        if (!digest.AsSpan(0, 2).SequenceEqual(signature.Left16))
        {
            throw new OpenPgpRequestException(
                "the signature was not made over this package's main header (its digest does not match); sign the header that " +
                "RpmSignatureApplier.ReadHeaderForSigning returned for this very file");
        }

        return tag;
    }

    private static void KeepSize(RpmHeader signature, int originalLength)
    {
        if (signature.GetBinary(RpmSignatureTag.ReservedSpace) is not byte[] reserved)
        {
            return;
        }

        int growth = signature.Encode().Length - originalLength;
        int wanted = reserved.Length - growth;
        if (wanted >= 1)
        {
            signature.SetBinary(RpmSignatureTag.ReservedSpace, new byte[wanted]);
        }
        else
        {
            // The signature does not fit in the reserved space; rpmsign then drops it too and rewrites the whole file, which is
            // what Apply always does, so the larger header is harmless.
            signature.Remove(RpmSignatureTag.ReservedSpace);
        }
    }

    private static void CheckPayloadLength(Stream package, RpmPackage parsed)
    {
        long? recorded = parsed.Signature.GetInt64(RpmSignatureTag.LongSize) ?? parsed.Signature.GetInt32(RpmSignatureTag.Size);
        if (recorded is not long size || !package.CanSeek)
        {
            return;
        }

        long expected = size - parsed.Header.RawBytes.Length;
        long actual = package.Length - parsed.PayloadOffset;
        if (actual < expected)
        {
            throw new RpmFormatException(
                $"truncated RPM: the payload is {actual} bytes but the signature header records {expected}; copy the package again");
        }

        if (actual > expected)
        {
            throw new RpmFormatException(
                $"corrupt RPM: {actual - expected} bytes follow the end of the payload the signature header records; copy the package again");
        }
    }
}

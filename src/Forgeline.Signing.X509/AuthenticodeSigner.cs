using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>
/// Signs EFI binaries (PE/COFF) with an Authenticode signature, as sbsign does: the image digest is computed here, the
/// SpcIndirectDataContent and PKCS#7 SignedData are assembled here, and only the digest of the signed attributes goes to the
/// <see cref="DigestSigner"/>. An already-signed binary has its signature replaced, not added to (sbsign does the same).
/// </summary>
public static class AuthenticodeSigner
{
    private const ushort CertificateRevision2 = 0x0200;
    private const ushort CertificateTypePkcsSignedData = 0x0002;
    private const int WinCertificateHeaderSize = 8;

    /// <summary>
    /// Signs the EFI image <paramref name="pe"/> with <paramref name="certificate"/>; <paramref name="chain"/> lists the
    /// intermediate certificates to embed (the signer's certificate is always embedded; leave the root out).
    /// </summary>
    public static byte[] Sign(byte[] pe, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, DigestSigner signer, HashAlgorithmName hash)
    {
        DigestAlgorithms.EnsureSupported(hash);
        var unsigned = Unsigned(PeImage.Parse(pe));
        var image = PeImage.Parse(unsigned);
        var spcIndirectData = SpcIndirectData.Encode(image.ComputeDigest(hash), hash);
        var pkcs7 = SpcIndirectData.EmbedContent(CreateSignature(spcIndirectData, certificate, chain, signer, hash), spcIndirectData);

        var entryLength = Align8(WinCertificateHeaderSize + pkcs7.Length);
        var signed = new byte[unsigned.Length + entryLength];
        unsigned.CopyTo(signed, 0);
        var entry = signed.AsSpan(unsigned.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)entryLength);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[4..], CertificateRevision2);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], CertificateTypePkcsSignedData);
        pkcs7.CopyTo(entry[WinCertificateHeaderSize..]);

        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(image.CertificateEntryOffset), (uint)unsigned.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(image.CertificateEntryOffset + 4), (uint)entryLength);
        BinaryPrimitives.WriteUInt32LittleEndian(signed.AsSpan(image.ChecksumOffset), PeImage.Checksum(signed, image.ChecksumOffset));
        return signed;
    }

    /// <summary>Whether the EFI image <paramref name="pe"/> carries an attribute certificate table (a signature); throws <see cref="X509SigningException"/> for anything but an EFI image.</summary>
    public static bool IsSigned(byte[] pe) => PeImage.Parse(pe).CertificateTableSize != 0;

    /// <summary>The PE/COFF Authenticode digest of <paramref name="pe"/> (what <c>sbverify</c> and <c>osslsigncode</c> compare against).</summary>
    public static byte[] ComputeDigest(byte[] pe, HashAlgorithmName hash)
    {
        DigestAlgorithms.EnsureSupported(hash);
        return PeImage.Parse(pe).ComputeDigest(hash);
    }

    // The image without its certificate table, padded with zeros to 8 bytes so the new table starts aligned, as the PE
    // specification asks. The padding comes before hashing, so it is covered by the digest like sbsign's.
    private static byte[] Unsigned(PeImage image)
    {
        var end = image.CertificateTableSize == 0 ? image.Data.Length : image.CertificateTableOffset;
        var unsigned = new byte[Align8(end)];
        image.Data.AsSpan(0, end).CopyTo(unsigned);
        unsigned.AsSpan(image.CertificateEntryOffset, 8).Clear();
        return unsigned;
    }

    private static byte[] CreateSignature(
        byte[] spcIndirectData, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, DigestSigner signer, HashAlgorithmName hash)
    {
        using var key = RemoteKeys.For(certificate, signer);

        // Detached, so SignedCms hashes exactly the bytes we give it: Authenticode's message digest covers the content octets
        // of SpcIndirectDataContent without its SEQUENCE header. EmbedContent then puts the whole SEQUENCE back in.
        var cms = new SignedCms(new ContentInfo(new Oid(SpcIndirectData.ContentTypeOid), SpcIndirectData.HashedContent(spcIndirectData)), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, key)
        {
            DigestAlgorithm = new Oid(DigestAlgorithms.Oid(hash)),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        foreach (var extra in chain.Where(c => !c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
        {
            cmsSigner.Certificates.Add(extra);
        }

        cmsSigner.SignedAttributes.Add(new AsnEncodedData(SpcIndirectData.OpusInfoOid, [0x30, 0x00]));
        cmsSigner.SignedAttributes.Add(new AsnEncodedData(SpcIndirectData.StatementTypeOid, SpcIndirectData.StatementType()));
        try
        {
            cms.ComputeSignature(cmsSigner, silent: true);
        }
        catch (CryptographicException e)
        {
            throw new X509SigningException($"signing with {certificate.Subject} failed: {e.Message}", e);
        }

        return cms.Encode();
    }

    private static int Align8(int length) => (length + 7) & ~7;
}

using System.Formats.Asn1;

namespace Forgeline.Signing.X509;

/// <summary>
/// Adjusts the ContentInfo/SignedData that <c>SignedCms</c> encodes, in the parts the signature does not cover, to the
/// shape the kernel's sign-file and Authenticode tools write.
/// </summary>
internal static class SignedDataEncoding
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private static readonly Asn1Tag Explicit0 = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>
    /// Re-encodes <paramref name="contentInfo"/>: RSA signature algorithms get the explicit NULL parameters RFC 3370 asks for
    /// (OpenSSL writes them, SignedCms leaves them out); optionally the SignedData version and encapsulated content info are replaced.
    /// </summary>
    public static byte[] Rewrite(byte[] contentInfo, int? version = null, byte[]? encapsulatedContentInfo = null)
    {
        var outer = new AsnReader(contentInfo, AsnEncodingRules.DER).ReadSequence();
        var type = outer.ReadObjectIdentifier();
        var signedData = outer.ReadSequence(Explicit0).ReadSequence();
        var originalVersion = signedData.ReadInteger();
        var digestAlgorithms = signedData.ReadEncodedValue();
        var originalContent = signedData.ReadEncodedValue();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(type);
            using (writer.PushSequence(Explicit0))
            using (writer.PushSequence())
            {
                writer.WriteInteger(version ?? originalVersion);
                writer.WriteEncodedValue(digestAlgorithms.Span);
                writer.WriteEncodedValue(encapsulatedContentInfo ?? originalContent.Span);
                while (signedData.HasData)
                {
                    if (signedData.PeekTag().HasSameClassAndValue(Asn1Tag.SetOf))
                    {
                        WriteSignerInfos(writer, signedData.ReadSetOf());
                    }
                    else
                    {
                        writer.WriteEncodedValue(signedData.ReadEncodedValue().Span);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSignerInfos(AsnWriter writer, AsnReader signerInfos)
    {
        using (writer.PushSetOf())
        {
            while (signerInfos.HasData)
            {
                var signerInfo = signerInfos.ReadSequence();
                using (writer.PushSequence())
                {
                    writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // version
                    writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // sid
                    writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // digestAlgorithm
                    if (signerInfo.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // signedAttrs
                    }

                    WriteSignatureAlgorithm(writer, signerInfo.ReadEncodedValue());
                    while (signerInfo.HasData)
                    {
                        writer.WriteEncodedValue(signerInfo.ReadEncodedValue().Span); // signature, unsignedAttrs
                    }
                }
            }
        }
    }

    private static void WriteSignatureAlgorithm(AsnWriter writer, ReadOnlyMemory<byte> encoded)
    {
        var algorithm = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        if (algorithm.ReadObjectIdentifier() == RsaEncryptionOid && !algorithm.HasData)
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(RsaEncryptionOid);
                writer.WriteNull();
            }
        }
        else
        {
            writer.WriteEncodedValue(encoded.Span);
        }
    }
}

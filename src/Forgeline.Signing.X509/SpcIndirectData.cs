using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Forgeline.Signing.X509;

/// <summary>The Authenticode SpcIndirectDataContent for a PE image digest, and the PKCS#7 wrapping Authenticode expects.</summary>
internal static class SpcIndirectData
{
    /// <summary>SPC_INDIRECT_DATA_OBJID, the content type of an Authenticode signature.</summary>
    public const string ContentTypeOid = "1.3.6.1.4.1.311.2.1.4";

    /// <summary>SPC_SP_OPUS_INFO_OBJID, the (here empty) program name and URL attribute.</summary>
    public const string OpusInfoOid = "1.3.6.1.4.1.311.2.1.12";

    /// <summary>SPC_STATEMENT_TYPE_OBJID, saying the signature is individual code signing.</summary>
    public const string StatementTypeOid = "1.3.6.1.4.1.311.2.1.11";

    private const string PeImageDataOid = "1.3.6.1.4.1.311.2.1.15";
    private const string IndividualCodeSigningOid = "1.3.6.1.4.1.311.2.1.21";

    /// <summary>
    /// SpcIndirectDataContent ::= SEQUENCE { data SpcAttributeTypeAndOptionalValue (SPC_PE_IMAGE_DATA), messageDigest DigestInfo },
    /// with SpcPeImageData { flags '', file [0] { file [2] { unicode [0] "&lt;&lt;&lt;Obsolete&gt;&gt;&gt;" } } } as signtool writes it.
    /// </summary>
    public static byte[] Encode(byte[] digest, HashAlgorithmName hash)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(PeImageDataOid);
                using (writer.PushSequence())
                {
                    writer.WriteBitString([]);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, isConstructed: true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.BMPString, "<<<Obsolete>>>", new Asn1Tag(TagClass.ContextSpecific, 0));
                    }
                }
            }

            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(DigestAlgorithms.Oid(hash));
                    writer.WriteNull();
                }

                writer.WriteOctetString(digest);
            }
        }

        return writer.Encode();
    }

    /// <summary>SpcStatementType ::= SEQUENCE OF OID, here { individual code signing }.</summary>
    public static byte[] StatementType()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(IndividualCodeSigningOid);
        }

        return writer.Encode();
    }

    /// <summary>
    /// The bytes Authenticode hashes for the message digest attribute: the content octets of the SEQUENCE, without its tag and length
    /// (PKCS#7 v1.5 rules, unlike CMS).
    /// </summary>
    public static byte[] HashedContent(byte[] encoded)
    {
        AsnDecoder.ReadEncodedValue(encoded, AsnEncodingRules.DER, out var offset, out var length, out _);
        return encoded.AsSpan(offset, length).ToArray();
    }

    /// <summary>
    /// Turns the detached CMS SignedData that <c>SignedCms</c> made into the PKCS#7 shape Authenticode requires:
    /// SignedData version 1 and the SpcIndirectDataContent embedded as <c>[0] EXPLICIT</c> SEQUENCE (not an OCTET STRING).
    /// The signature covers only the signed attributes, which stay untouched, so it remains valid.
    /// </summary>
    public static byte[] EmbedContent(byte[] detachedSignedCms, byte[] spcIndirectData)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(ContentTypeOid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteEncodedValue(spcIndirectData);
            }
        }

        return SignedDataEncoding.Rewrite(detachedSignedCms, version: 1, encapsulatedContentInfo: writer.Encode());
    }
}

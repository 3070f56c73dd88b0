using Forgeline.Signing.OpenPgp.Keys;
using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>Lays out an OpenPGP signed message (RFC 4880 section 11.3): one-pass signature, literal data, signature.</summary>
internal static class SignedMessageWriter
{
    /// <summary>The message around <paramref name="payload"/> with <paramref name="signaturePacket"/> (a binary-document signature over it).</summary>
    public static byte[] Write(PublicKeyData key, byte hashAlgorithm, uint createdAt, ReadOnlySpan<byte> payload, byte[] signaturePacket)
    {
        byte[] onePass = [3, 0x00, hashAlgorithm, key.AlgorithmId, .. key.KeyId, 1];
        byte[] literalHead = [(byte)'b', 0, .. SignatureSubpacket.Time(createdAt)];
        int literalLength = literalHead.Length + payload.Length;
        int onePassHeader = OpenPgpPacketWriter.HeaderLength(onePass.Length);
        int literalHeader = OpenPgpPacketWriter.HeaderLength(literalLength);
        byte[] message = new byte[onePassHeader + onePass.Length + literalHeader + literalLength + signaturePacket.Length];
        Span<byte> span = message;
        int at = OpenPgpPacketWriter.WriteHeader(OpenPgpPacket.OnePassSignature, onePass.Length, span);
        onePass.CopyTo(span[at..]);
        at += onePass.Length;
        at += OpenPgpPacketWriter.WriteHeader(OpenPgpPacket.LiteralData, literalLength, span[at..]);
        literalHead.CopyTo(span[at..]);
        at += literalHead.Length;
        payload.CopyTo(span[at..]);
        at += payload.Length;
        signaturePacket.CopyTo(span[at..]);
        return message;
    }
}

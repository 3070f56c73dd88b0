using System.Buffers.Binary;
using Forgeline.Signing.OpenPgp.Keys;
using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>Builds v4 signature packets: the hashed area before signing, the complete packet after.</summary>
internal static class SignatureAssembler
{
    /// <summary>Hashed area: version 4, type, algorithms, and the given hashed subpacket area.</summary>
    public static byte[] HashedArea(byte signatureType, byte publicKeyAlgorithm, byte hashAlgorithm, ReadOnlySpan<byte> subpackets)
    {
        byte[] area = new byte[6 + subpackets.Length];
        area[0] = 4;
        area[1] = signatureType;
        area[2] = publicKeyAlgorithm;
        area[3] = hashAlgorithm;
        BinaryPrimitives.WriteUInt16BigEndian(area.AsSpan(4), checked((ushort)subpackets.Length));
        subpackets.CopyTo(area.AsSpan(6));
        return area;
    }

    /// <summary>The hashed area every signature of this library carries: creation time and issuer fingerprint, nothing else.</summary>
    public static byte[] DocumentHashedArea(byte signatureType, PublicKeyData key, byte hashAlgorithm, uint createdAt) =>
        HashedArea(signatureType, key.AlgorithmId, hashAlgorithm, SignatureSubpacket.EncodeArea(
            (SignatureSubpacket.CreationTime, SignatureSubpacket.Time(createdAt)),
            (SignatureSubpacket.IssuerFingerprint, [4, .. key.Fingerprint])));

    /// <summary>The complete signature packet (header included) with the issuer key ID as the only unhashed subpacket.</summary>
    public static byte[] Packet(ReadOnlySpan<byte> hashedArea, ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> digest, byte[][] mpis)
    {
        const int UnhashedLength = 10;
        int bodyLength = hashedArea.Length + 2 + UnhashedLength + 2;
        foreach (byte[] mpi in mpis)
        {
            bodyLength += OpenPgpMpi.EncodedLength(mpi);
        }

        byte[] packet = new byte[OpenPgpPacketWriter.HeaderLength(bodyLength) + bodyLength];
        Span<byte> span = packet;
        int at = OpenPgpPacketWriter.WriteHeader(OpenPgpPacket.Signature, bodyLength, span);
        hashedArea.CopyTo(span[at..]);
        at += hashedArea.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], UnhashedLength);
        span[at + 2] = 9;
        span[at + 3] = SignatureSubpacket.IssuerKeyId;
        keyId.CopyTo(span[(at + 4)..]);
        at += 2 + UnhashedLength;
        digest[..2].CopyTo(span[at..]);
        at += 2;
        foreach (byte[] mpi in mpis)
        {
            at += OpenPgpMpi.Write(mpi, span[at..]);
        }

        return packet;
    }
}

using System.Buffers.Binary;
using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>One signature subpacket (RFC 4880 section 5.2.3.1): type without the critical bit, the critical bit, and the data.</summary>
internal sealed record SignatureSubpacket(byte Type, bool Critical, byte[] Data)
{
    /// <summary>Signature creation time (4-byte seconds).</summary>
    public const byte CreationTime = 2;

    /// <summary>Key expiration time (4-byte seconds after key creation).</summary>
    public const byte KeyExpirationTime = 9;

    /// <summary>Issuer key ID (8 bytes).</summary>
    public const byte IssuerKeyId = 16;

    /// <summary>Preferred hash algorithms.</summary>
    public const byte PreferredHashAlgorithms = 21;

    /// <summary>Primary user ID flag.</summary>
    public const byte PrimaryUserId = 25;

    /// <summary>Key flags.</summary>
    public const byte KeyFlags = 27;

    /// <summary>Features.</summary>
    public const byte Features = 30;

    /// <summary>Issuer fingerprint (version byte and fingerprint).</summary>
    public const byte IssuerFingerprint = 33;

    /// <summary>Parses a subpacket area.</summary>
    public static List<SignatureSubpacket> ParseArea(ReadOnlySpan<byte> area, string what)
    {
        var subpackets = new List<SignatureSubpacket>();
        var reader = new OpenPgpBodyReader(area, what);
        while (reader.Remaining > 0)
        {
            int first = reader.ReadByte();
            int length = first switch
            {
                < 192 => first,
                < 255 => ((first - 192) << 8) + reader.ReadByte() + 192,
                _ => checked((int)reader.ReadUInt32()),
            };
            if (length == 0)
            {
                throw new OpenPgpFormatException($"the {what} holds a subpacket of length 0, which cannot even carry its type");
            }

            byte type = reader.ReadByte();
            subpackets.Add(new SignatureSubpacket((byte)(type & 0x7f), (type & 0x80) != 0, reader.Take(length - 1).ToArray()));
        }

        return subpackets;
    }

    /// <summary>Encodes subpackets (all non-critical) into an area.</summary>
    public static byte[] EncodeArea(params ReadOnlySpan<(byte Type, byte[] Data)> subpackets)
    {
        using var area = new MemoryStream();
        foreach ((byte type, byte[] data) in subpackets)
        {
            int length = data.Length + 1;
            if (length < 192)
            {
                area.WriteByte((byte)length);
            }
            else if (length < 8384)
            {
                area.WriteByte((byte)(((length - 192) >> 8) + 192));
                area.WriteByte((byte)(length - 192));
            }
            else
            {
                Span<byte> five = [255, 0, 0, 0, 0];
                BinaryPrimitives.WriteInt32BigEndian(five[1..], length);
                area.Write(five);
            }

            area.WriteByte(type);
            area.Write(data);
        }

        return area.ToArray();
    }

    /// <summary>A 4-byte big-endian time value.</summary>
    public static byte[] Time(uint seconds)
    {
        byte[] data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, seconds);
        return data;
    }
}

using System.Buffers.Binary;

namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>Writes packet headers in the old format (RFC 4880 section 4.2.1), as gpg does for keys and signatures.</summary>
internal static class OpenPgpPacketWriter
{
    /// <summary>Size of the header <see cref="WriteHeader"/> writes for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static int HeaderLength(int bodyLength) => bodyLength switch
    {
        < 256 => 2,
        < 65536 => 3,
        _ => 5,
    };

    /// <summary>Writes the header for a packet of <paramref name="tag"/> (at most 15) into <paramref name="destination"/>; returns bytes written.</summary>
    public static int WriteHeader(int tag, int bodyLength, Span<byte> destination)
    {
        int ctb = 0x80 | (tag << 2);
        switch (HeaderLength(bodyLength))
        {
            case 2:
                destination[0] = (byte)ctb;
                destination[1] = (byte)bodyLength;
                return 2;
            case 3:
                destination[0] = (byte)(ctb | 1);
                BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)bodyLength);
                return 3;
            default:
                destination[0] = (byte)(ctb | 2);
                BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)bodyLength);
                return 5;
        }
    }

    /// <summary>The packet <paramref name="tag"/> with <paramref name="body"/>, header included.</summary>
    public static byte[] Encode(int tag, ReadOnlySpan<byte> body)
    {
        byte[] packet = new byte[HeaderLength(body.Length) + body.Length];
        int header = WriteHeader(tag, body.Length, packet);
        body.CopyTo(packet.AsSpan(header));
        return packet;
    }

    /// <summary>Concatenates encoded packets.</summary>
    public static byte[] EncodeAll(IEnumerable<OpenPgpPacket> packets)
    {
        using var output = new MemoryStream();
        foreach (OpenPgpPacket packet in packets)
        {
            output.Write(packet.Encode());
        }

        return output.ToArray();
    }
}

using System.Buffers.Binary;

namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>Splits binary OpenPGP data into packets, accepting both header formats (RFC 4880 section 4.2).</summary>
internal static class OpenPgpPacketReader
{
    /// <summary>Largest packet body accepted; keys and signatures are far smaller.</summary>
    private const int MaxBodyLength = 16 * 1024 * 1024;

    /// <summary>Parses every packet in <paramref name="data"/>; <paramref name="what"/> names the data in error messages.</summary>
    public static List<OpenPgpPacket> ReadAll(ReadOnlySpan<byte> data, string what)
    {
        var packets = new List<OpenPgpPacket>();
        int position = 0;
        while (position < data.Length)
        {
            byte ctb = data[position];
            if ((ctb & 0x80) == 0)
            {
                throw new OpenPgpFormatException(
                    $"the {what} is not OpenPGP data: byte {position} is 0x{ctb:x2}, not a packet header; " +
                    "pass binary OpenPGP data or an ASCII-armored block (-----BEGIN PGP ...)");
            }

            int tag;
            long length;
            int headerLength;
            ReadOnlySpan<byte> rest = data[(position + 1)..];
            if ((ctb & 0x40) != 0)
            {
                tag = ctb & 0x3f;
                (length, headerLength) = NewFormatLength(rest, what, position);
            }
            else
            {
                tag = (ctb >> 2) & 0x0f;
                (length, headerLength) = OldFormatLength(ctb & 3, rest, what, position);
            }

            int start = position + 1 + headerLength;
            if (length < 0)
            {
                length = data.Length - start;
            }

            if (length > MaxBodyLength || start + length > data.Length)
            {
                throw new OpenPgpFormatException(
                    $"truncated {what}: packet {packets.Count + 1} (tag {tag}) at byte {position} claims {length} bytes " +
                    $"but only {Math.Max(data.Length - start, 0)} follow");
            }

            packets.Add(new OpenPgpPacket(tag, data.Slice(start, (int)length).ToArray()));
            position = start + (int)length;
        }

        if (packets.Count == 0)
        {
            throw new OpenPgpFormatException($"the {what} is empty: it holds no OpenPGP packets");
        }

        return packets;
    }

    private static (long Length, int HeaderLength) NewFormatLength(ReadOnlySpan<byte> rest, string what, int at)
    {
        Need(rest, 1, what, at);
        int first = rest[0];
        if (first < 192)
        {
            return (first, 1);
        }

        if (first < 224)
        {
            Need(rest, 2, what, at);
            return (((first - 192) << 8) + rest[1] + 192, 2);
        }

        if (first == 255)
        {
            Need(rest, 5, what, at);
            return (BinaryPrimitives.ReadUInt32BigEndian(rest[1..]), 5);
        }

        throw new OpenPgpFormatException(
            $"the {what} uses a partial-length packet at byte {at}, which keys and signatures never need; " +
            "export the key or signature again with gpg");
    }

    private static (long Length, int HeaderLength) OldFormatLength(int lengthType, ReadOnlySpan<byte> rest, string what, int at)
    {
        switch (lengthType)
        {
            case 0:
                Need(rest, 1, what, at);
                return (rest[0], 1);
            case 1:
                Need(rest, 2, what, at);
                return (BinaryPrimitives.ReadUInt16BigEndian(rest), 2);
            case 2:
                Need(rest, 4, what, at);
                return (BinaryPrimitives.ReadUInt32BigEndian(rest), 4);
            default:
                return (-1, 0); // indeterminate: the packet runs to the end of the data
        }
    }

    private static void Need(ReadOnlySpan<byte> rest, int count, string what, int at)
    {
        if (rest.Length < count)
        {
            throw new OpenPgpFormatException($"truncated {what}: the packet header at byte {at} is cut off");
        }
    }
}

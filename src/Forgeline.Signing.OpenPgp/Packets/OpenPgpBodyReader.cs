using System.Buffers.Binary;

namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>Reads the fields of one packet body, throwing <see cref="OpenPgpFormatException"/> that names the packet when it ends early.</summary>
internal ref struct OpenPgpBodyReader(ReadOnlySpan<byte> body, string what)
{
    private readonly ReadOnlySpan<byte> _body = body;

    /// <summary>Offset of the next unread byte.</summary>
    public int Position { get; private set; }

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _body.Length - Position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a big-endian 16-bit value.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    /// <summary>Reads a big-endian 32-bit value.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new OpenPgpFormatException(
                $"truncated OpenPGP {what}: needed {count} more bytes at offset {Position}, only {Remaining} remain");
        }

        ReadOnlySpan<byte> slice = _body.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>Reads everything that is left.</summary>
    public ReadOnlySpan<byte> TakeRest() => Take(Remaining);

    /// <summary>Reads a multiprecision integer and returns its magnitude, big-endian, without leading zero bytes.</summary>
    public ReadOnlySpan<byte> ReadMpi()
    {
        int bits = ReadUInt16();
        ReadOnlySpan<byte> value = Take((bits + 7) / 8);
        int zeros = 0;
        while (zeros < value.Length && value[zeros] == 0)
        {
            zeros++;
        }

        return value[zeros..];
    }
}

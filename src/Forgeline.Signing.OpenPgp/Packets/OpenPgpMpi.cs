using System.Numerics;

namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>Encodes OpenPGP multiprecision integers: a 16-bit bit count followed by the big-endian magnitude.</summary>
internal static class OpenPgpMpi
{
    /// <summary>Length in bytes of the MPI encoding of <paramref name="magnitude"/>.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> magnitude) => 2 + Strip(magnitude).Length;

    /// <summary>Writes <paramref name="magnitude"/> (big-endian, leading zeros allowed) as an MPI into <paramref name="destination"/>; returns bytes written.</summary>
    public static int Write(ReadOnlySpan<byte> magnitude, Span<byte> destination)
    {
        ReadOnlySpan<byte> value = Strip(magnitude);
        int bits = value.IsEmpty ? 0 : ((value.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)value[0]));
        destination[0] = (byte)(bits >> 8);
        destination[1] = (byte)bits;
        value.CopyTo(destination[2..]);
        return 2 + value.Length;
    }

    /// <summary>Appends <paramref name="magnitude"/> as an MPI to <paramref name="output"/>.</summary>
    public static void Write(ReadOnlySpan<byte> magnitude, Stream output)
    {
        byte[] encoded = new byte[EncodedLength(magnitude)];
        Write(magnitude, encoded);
        output.Write(encoded);
    }

    /// <summary>The magnitude without leading zero bytes.</summary>
    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> magnitude)
    {
        int zeros = 0;
        while (zeros < magnitude.Length && magnitude[zeros] == 0)
        {
            zeros++;
        }

        return magnitude[zeros..];
    }

    /// <summary><paramref name="magnitude"/> left-padded with zeros to exactly <paramref name="length"/> bytes.</summary>
    public static byte[] PadLeft(ReadOnlySpan<byte> magnitude, int length, string what)
    {
        ReadOnlySpan<byte> value = Strip(magnitude);
        if (value.Length > length)
        {
            throw new OpenPgpFormatException($"the {what} is {value.Length} bytes long, more than the {length} bytes it may have");
        }

        byte[] padded = new byte[length];
        value.CopyTo(padded.AsSpan(length - value.Length));
        return padded;
    }
}

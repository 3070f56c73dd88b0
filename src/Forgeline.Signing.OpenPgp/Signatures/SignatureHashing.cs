using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>The hash computations of v4 signatures (RFC 4880 section 5.2.4): data, then the hashed area, then the 0x04 0xFF length trailer.</summary>
internal static class SignatureHashing
{
    /// <summary>The .NET name of OpenPGP hash algorithm <paramref name="id"/>, or null when it is not one this library computes.</summary>
    public static HashAlgorithmName? NameOf(byte id) => id switch
    {
        2 => HashAlgorithmName.SHA1,
        8 => HashAlgorithmName.SHA256,
        9 => HashAlgorithmName.SHA384,
        10 => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>Digest length in bytes of OpenPGP hash algorithm <paramref name="id"/>.</summary>
    public static int DigestLength(byte id) => id switch
    {
        2 => 20,
        8 => 32,
        9 => 48,
        10 => 64,
        _ => 0,
    };

    /// <summary>A new incremental hash for OpenPGP hash algorithm <paramref name="id"/>.</summary>
    public static IncrementalHash Create(byte id) =>
        NameOf(id) is HashAlgorithmName name
            ? IncrementalHash.CreateHash(name)
            : throw new OpenPgpFormatException($"OpenPGP hash algorithm {id} is not supported; use SHA-256 or SHA-512");

    /// <summary>Appends the hashed area and the trailer to <paramref name="hash"/> and returns the digest.</summary>
    public static byte[] Finish(IncrementalHash hash, ReadOnlySpan<byte> hashedArea)
    {
        hash.AppendData(hashedArea);
        Span<byte> trailer = [0x04, 0xFF, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32BigEndian(trailer[2..], hashedArea.Length);
        hash.AppendData(trailer);
        return hash.GetHashAndReset();
    }

    /// <summary>Digest of a binary document signature over <paramref name="data"/>.</summary>
    public static byte[] OfDocument(byte id, ReadOnlySpan<byte> data, ReadOnlySpan<byte> hashedArea)
    {
        using IncrementalHash hash = Create(id);
        hash.AppendData(data);
        return Finish(hash, hashedArea);
    }

    /// <summary>Appends a user ID (0xB4) or user attribute (0xD1) packet body as certifications hash it.</summary>
    public static void AppendUserPacket(IncrementalHash hash, bool attribute, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = [attribute ? (byte)0xD1 : (byte)0xB4, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32BigEndian(prefix[1..], body.Length);
        hash.AppendData(prefix);
        hash.AppendData(body);
    }
}

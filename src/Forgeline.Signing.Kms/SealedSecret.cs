using System.Buffers.Binary;
using System.Text;

namespace Forgeline.Signing.Kms;

/// <summary>
/// A secret sealed by <see cref="KeySealer"/>: its data key wrapped by the key-encryption key <paramref name="Provider"/>:<paramref name="KekId"/>,
/// and <paramref name="Ciphertext"/> = <c>version(1) ‖ nonce(12) ‖ tag(16) ‖ AES-256-GCM encrypted secret</c>.
/// </summary>
/// <param name="Provider">The provider of the key-encryption key (<c>file</c>, <c>pkcs11</c>).</param>
/// <param name="KekId">The <see cref="IKeyEncryptionKey.KeyId"/> of the key-encryption key.</param>
/// <param name="WrappedDataKey">The data key as wrapped by the key-encryption key.</param>
/// <param name="Ciphertext">The secret encrypted under the data key, with its version, nonce and tag.</param>
public sealed record SealedSecret(string Provider, string KekId, byte[] WrappedDataKey, byte[] Ciphertext)
{
    // "FLSS" then a format version: lets FromBytes tell a sealed secret from a clear key stored by an older release.
    private static ReadOnlySpan<byte> Magic => "FLSS"u8;

    private const byte FormatVersion = 1;

    /// <summary>Serialises it for one database column: magic, version, then length-prefixed provider, key id, wrapped key and ciphertext.</summary>
    public byte[] ToBytes()
    {
        var provider = Encoding.UTF8.GetBytes(Provider);
        var kekId = Encoding.UTF8.GetBytes(KekId);
        if (provider.Length > byte.MaxValue || kekId.Length > ushort.MaxValue || WrappedDataKey.Length > ushort.MaxValue)
        {
            throw new ArgumentException("the provider, key-encryption key id or wrapped data key is too long to store");
        }

        var bytes = new byte[Magic.Length + 1 + 1 + provider.Length + 2 + kekId.Length + 2 + WrappedDataKey.Length + 4 + Ciphertext.Length];
        var writer = bytes.AsSpan();
        Magic.CopyTo(writer);
        writer = writer[Magic.Length..];
        writer[0] = FormatVersion;
        writer[1] = (byte)provider.Length;
        writer = Put(writer[2..], provider);
        BinaryPrimitives.WriteUInt16BigEndian(writer, (ushort)kekId.Length);
        writer = Put(writer[2..], kekId);
        BinaryPrimitives.WriteUInt16BigEndian(writer, (ushort)WrappedDataKey.Length);
        writer = Put(writer[2..], WrappedDataKey);
        BinaryPrimitives.WriteInt32BigEndian(writer, Ciphertext.Length);
        Put(writer[4..], Ciphertext);
        return bytes;
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="KeySealingException"/> for anything else.</summary>
    public static SealedSecret FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ReadOnlySpan<byte> reader = bytes;
        if (reader.Length < Magic.Length + 2 || !reader[..Magic.Length].SequenceEqual(Magic))
        {
            throw new KeySealingException("the stored key is not a Forgeline sealed key (no FLSS header): it was modified, or it was stored in clear by an older release and must be imported again");
        }

        reader = reader[Magic.Length..];
        if (reader[0] != FormatVersion)
        {
            throw new KeySealingException($"the sealed key has format version {reader[0]}, which this release does not know; it was modified or written by a newer Forgeline");
        }

        try
        {
            var provider = Encoding.UTF8.GetString(Take(ref reader, 1 + 1, reader[1]));
            var kekId = Encoding.UTF8.GetString(Take(ref reader, 2, BinaryPrimitives.ReadUInt16BigEndian(reader)));
            var wrapped = Take(ref reader, 2, BinaryPrimitives.ReadUInt16BigEndian(reader)).ToArray();
            var ciphertext = Take(ref reader, 4, BinaryPrimitives.ReadInt32BigEndian(reader)).ToArray();
            if (!reader.IsEmpty)
            {
                throw new KeySealingException($"the sealed key has {reader.Length} unexpected bytes at its end; it was modified");
            }

            return new SealedSecret(provider, kekId, wrapped, ciphertext);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new KeySealingException("the sealed key is truncated (a length points past its end); it was modified or cut short", e);
        }
    }

    private static Span<byte> Put(Span<byte> writer, ReadOnlySpan<byte> value)
    {
        value.CopyTo(writer);
        return writer[value.Length..];
    }

    /// <summary>Skips a length prefix of <paramref name="prefix"/> bytes and returns the <paramref name="length"/> bytes after it.</summary>
    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> reader, int prefix, int length)
    {
        if (length < 0 || reader.Length < prefix + length)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        var value = reader.Slice(prefix, length);
        reader = reader[(prefix + length)..];
        return value;
    }
}

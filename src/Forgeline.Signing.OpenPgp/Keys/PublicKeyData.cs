using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>The public part of a v4 key packet (RFC 4880 section 5.5.2): creation time, algorithm and key fields, plus its fingerprint.</summary>
internal sealed class PublicKeyData
{
    /// <summary>OpenPGP public-key algorithm number of RSA (encrypt or sign).</summary>
    public const byte Rsa = 1;

    /// <summary>OpenPGP public-key algorithm number of RSA (sign only, deprecated but still valid).</summary>
    public const byte RsaSignOnly = 3;

    /// <summary>OpenPGP public-key algorithm number of legacy EdDSA.</summary>
    public const byte EdDsa = 22;

    /// <summary>DER body of the Ed25519 curve OID 1.3.6.1.4.1.11591.15.1.</summary>
    public static ReadOnlySpan<byte> Ed25519Oid => [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01];

    private PublicKeyData(byte[] body, uint createdAt, byte algorithm)
    {
        Body = body;
        CreatedAt = createdAt;
        AlgorithmId = algorithm;
        byte[] prefix = [0x99, (byte)(body.Length >> 8), (byte)body.Length];
#pragma warning disable CA5350 // RFC 4880 section 12.2 defines v4 fingerprints as SHA-1; nothing here relies on SHA-1 for security
        Fingerprint = SHA1.HashData([.. prefix, .. body]);
#pragma warning restore CA5350
        KeyId = Fingerprint[12..];
    }

    /// <summary>The public key packet body (exactly the public fields; what the fingerprint covers).</summary>
    public byte[] Body { get; }

    /// <summary>Creation time, seconds since 1970.</summary>
    public uint CreatedAt { get; }

    /// <summary>The OpenPGP public-key algorithm number.</summary>
    public byte AlgorithmId { get; }

    /// <summary>RSA modulus (big-endian, no leading zeros), for RSA keys.</summary>
    public byte[]? RsaModulus { get; private init; }

    /// <summary>RSA public exponent, for RSA keys.</summary>
    public byte[]? RsaExponent { get; private init; }

    /// <summary>The 32-byte Ed25519 public key, for EdDSA keys on Ed25519.</summary>
    public byte[]? Ed25519PublicKey { get; private init; }

    /// <summary>The v4 fingerprint: SHA-1 over 0x99, the 16-bit body length and the body.</summary>
    public byte[] Fingerprint { get; }

    /// <summary>The low 64 bits of the fingerprint.</summary>
    public byte[] KeyId { get; }

    /// <summary>The fingerprint as 40 upper-case hex digits.</summary>
    public string FingerprintHex => Convert.ToHexString(Fingerprint);

    /// <summary>The key ID as 16 upper-case hex digits.</summary>
    public string KeyIdHex => Convert.ToHexString(KeyId);

    /// <summary>The algorithm this library signs with, or null for keys it cannot use (DSA, ECDSA, RSA of other sizes, ...).</summary>
    public OpenPgpAlgorithm? SigningAlgorithm =>
        Ed25519PublicKey is not null ? OpenPgpAlgorithm.Ed25519 : AlgorithmId is not (Rsa or RsaSignOnly) ? null : (RsaModulus?.Length * 8) switch
        {
            2048 when RsaModulus![0] >= 0x80 => OpenPgpAlgorithm.Rsa2048,
            3072 when RsaModulus![0] >= 0x80 => OpenPgpAlgorithm.Rsa3072,
            4096 when RsaModulus![0] >= 0x80 => OpenPgpAlgorithm.Rsa4096,
            _ => null,
        };

    /// <summary>A readable name of the algorithm, for messages.</summary>
    public string AlgorithmName => AlgorithmId switch
    {
        Rsa or 2 or RsaSignOnly => $"RSA-{Math.Max(((RsaModulus?.Length ?? 0) * 8) - LeadingZeroBits(RsaModulus), 0)}",
        EdDsa => Ed25519PublicKey is null ? "EdDSA on a curve other than Ed25519" : "Ed25519",
        16 or 20 => "ElGamal",
        17 => "DSA",
        18 => "ECDH",
        19 => "ECDSA",
        _ => $"public-key algorithm {AlgorithmId}",
    };

    /// <summary>Parses the public fields at the start of a key packet body; <paramref name="length"/> receives where they end.</summary>
    public static PublicKeyData Parse(ReadOnlySpan<byte> body, string what, out int length)
    {
        var reader = new OpenPgpBodyReader(body, what);
        byte version = reader.ReadByte();
        if (version != 4)
        {
            throw new OpenPgpFormatException(
                $"the {what} is a version {version} key; only version 4 keys (what gpg 2.x creates) are supported");
        }

        uint created = reader.ReadUInt32();
        byte algorithm = reader.ReadByte();
        byte[]? modulus = null, exponent = null, ed25519 = null;
        switch (algorithm)
        {
            case Rsa or 2 or RsaSignOnly:
                modulus = reader.ReadMpi().ToArray();
                exponent = reader.ReadMpi().ToArray();
                break;
            case 16 or 20:
                SkipMpis(ref reader, 3);
                break;
            case 17:
                SkipMpis(ref reader, 4);
                break;
            case 18:
                ReadOid(ref reader);
                reader.ReadMpi();
                reader.Take(reader.ReadByte()); // KDF parameters
                break;
            case 19:
                ReadOid(ref reader);
                reader.ReadMpi();
                break;
            case EdDsa:
                bool onEd25519 = ReadOid(ref reader).SequenceEqual(Ed25519Oid);
                ReadOnlySpan<byte> point = reader.ReadMpi();
                if (onEd25519)
                {
                    ed25519 = point.Length == 33 && point[0] == 0x40
                        ? point[1..].ToArray()
                        : throw new OpenPgpFormatException($"the {what} has a malformed Ed25519 public key (expected 0x40 and 32 bytes)");
                }

                break;
            case 25 or 27:
                reader.Take(32);
                break;
            case 26:
                reader.Take(56);
                break;
            case 28:
                reader.Take(57);
                break;
            default:
                throw new OpenPgpFormatException($"the {what} uses unknown public-key algorithm {algorithm}");
        }

        length = reader.Position;
        return new PublicKeyData(body[..length].ToArray(), created, algorithm)
        {
            RsaModulus = modulus,
            RsaExponent = exponent,
            Ed25519PublicKey = ed25519,
        };
    }

    /// <summary>Builds the public fields of a new RSA key.</summary>
    public static PublicKeyData ForRsa(uint createdAt, ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent)
    {
        using var body = new MemoryStream();
        WriteHead(body, createdAt, Rsa);
        OpenPgpMpi.Write(modulus, body);
        OpenPgpMpi.Write(exponent, body);
        return Parse(body.ToArray(), "new RSA key", out _);
    }

    /// <summary>Builds the public fields of a new Ed25519 key.</summary>
    public static PublicKeyData ForEd25519(uint createdAt, ReadOnlySpan<byte> publicKey)
    {
        using var body = new MemoryStream();
        WriteHead(body, createdAt, EdDsa);
        body.WriteByte((byte)Ed25519Oid.Length);
        body.Write(Ed25519Oid);
        OpenPgpMpi.Write([0x40, .. publicKey], body);
        return Parse(body.ToArray(), "new Ed25519 key", out _);
    }

    /// <summary>Feeds the key to a signature hash as RFC 4880 section 5.2.4 prescribes: 0x99, 16-bit length, body.</summary>
    public void HashInto(IncrementalHash hash)
    {
        Span<byte> prefix = [0x99, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(prefix[1..], (ushort)Body.Length);
        hash.AppendData(prefix);
        hash.AppendData(Body);
    }

    private static void WriteHead(Stream body, uint createdAt, byte algorithm)
    {
        Span<byte> head = stackalloc byte[6];
        head[0] = 4;
        BinaryPrimitives.WriteUInt32BigEndian(head[1..], createdAt);
        head[5] = algorithm;
        body.Write(head);
    }

    private static ReadOnlySpan<byte> ReadOid(ref OpenPgpBodyReader reader)
    {
        byte length = reader.ReadByte();
        return reader.Take(length);
    }

    private static void SkipMpis(ref OpenPgpBodyReader reader, int count)
    {
        for (int i = 0; i < count; i++)
        {
            reader.ReadMpi();
        }
    }

    private static int LeadingZeroBits(byte[]? value) =>
        value is { Length: > 0 } ? System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]) - 24 : 0;
}

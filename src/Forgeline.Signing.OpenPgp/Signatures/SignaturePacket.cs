using System.Buffers.Binary;
using Forgeline.Signing.OpenPgp.Packets;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>A parsed v4 signature packet (RFC 4880 section 5.2.3).</summary>
internal sealed class SignaturePacket
{
    private SignaturePacket(byte[] hashedArea, List<SignatureSubpacket> hashed, List<SignatureSubpacket> unhashed, byte[] left16, byte[][] mpis)
    {
        HashedArea = hashedArea;
        HashedSubpackets = hashed;
        UnhashedSubpackets = unhashed;
        Left16 = left16;
        Mpis = mpis;
    }

    /// <summary>Signature type (0x00 binary document, 0x10–0x13 user ID certifications, 0x18 subkey binding, 0x20 key revocation, ...).</summary>
    public byte SignatureType => HashedArea[1];

    /// <summary>OpenPGP public-key algorithm number.</summary>
    public byte PublicKeyAlgorithm => HashedArea[2];

    /// <summary>OpenPGP hash algorithm number.</summary>
    public byte HashAlgorithm => HashedArea[3];

    /// <summary>The hashed part of the packet: version, type, algorithms, hashed subpacket length and subpackets.</summary>
    public byte[] HashedArea { get; }

    /// <summary>The hashed subpackets.</summary>
    public IReadOnlyList<SignatureSubpacket> HashedSubpackets { get; }

    /// <summary>The unhashed subpackets (not protected by the signature).</summary>
    public IReadOnlyList<SignatureSubpacket> UnhashedSubpackets { get; }

    /// <summary>The first two bytes of the signed digest.</summary>
    public byte[] Left16 { get; }

    /// <summary>The algorithm-specific signature MPIs (RSA: m^d; EdDSA: R and S).</summary>
    public byte[][] Mpis { get; }

    /// <summary>Signature creation time from the hashed area, if present.</summary>
    public uint? CreationTime => Hashed(SignatureSubpacket.CreationTime) is { Length: 4 } t ? BinaryPrimitives.ReadUInt32BigEndian(t) : null;

    /// <summary>Key expiration (seconds after key creation; 0 = never) from the hashed area, if present.</summary>
    public uint? KeyExpirationSeconds => Hashed(SignatureSubpacket.KeyExpirationTime) is { Length: 4 } t ? BinaryPrimitives.ReadUInt32BigEndian(t) : null;

    /// <summary>First byte of the key flags subpacket, if present.</summary>
    public byte? KeyFlags => Hashed(SignatureSubpacket.KeyFlags) is { Length: > 0 } f ? f[0] : null;

    /// <summary>True when the hashed area marks the certified user ID as primary.</summary>
    public bool IsPrimaryUserId => Hashed(SignatureSubpacket.PrimaryUserId) is { Length: > 0 } p && p[0] != 0;

    /// <summary>The 20-byte v4 issuer fingerprint, if present.</summary>
    public byte[]? IssuerFingerprint =>
        HashedSubpackets.Concat(UnhashedSubpackets).FirstOrDefault(s => s.Type == SignatureSubpacket.IssuerFingerprint && s.Data is [4, ..] && s.Data.Length == 21)?.Data[1..];

    /// <summary>The 8-byte issuer key ID, if present.</summary>
    public byte[]? IssuerKeyId =>
        HashedSubpackets.Concat(UnhashedSubpackets).FirstOrDefault(s => s.Type == SignatureSubpacket.IssuerKeyId && s.Data.Length == 8)?.Data;

    /// <summary>Parses a signature packet body; v3 and v5+ signatures are rejected.</summary>
    public static SignaturePacket Parse(ReadOnlySpan<byte> body, string what)
    {
        var reader = new OpenPgpBodyReader(body, what);
        byte version = reader.ReadByte();
        if (version != 4)
        {
            throw new OpenPgpFormatException($"the {what} is a version {version} signature; only version 4 signatures are supported");
        }

        reader.Take(3);
        int hashedLength = reader.ReadUInt16();
        ReadOnlySpan<byte> hashed = reader.Take(hashedLength);
        byte[] hashedArea = body[..reader.Position].ToArray();
        int unhashedLength = reader.ReadUInt16();
        ReadOnlySpan<byte> unhashed = reader.Take(unhashedLength);
        byte[] left16 = reader.Take(2).ToArray();
        var mpis = new List<byte[]>();
        while (reader.Remaining > 0)
        {
            mpis.Add(reader.ReadMpi().ToArray());
        }

        return new SignaturePacket(
            hashedArea,
            SignatureSubpacket.ParseArea(hashed, $"hashed subpackets of the {what}"),
            SignatureSubpacket.ParseArea(unhashed, $"unhashed subpackets of the {what}"),
            left16,
            [.. mpis]);
    }

    /// <summary>True when this signature names <paramref name="fingerprint"/> (or its key ID) as its issuer.</summary>
    public bool IsIssuedBy(byte[] fingerprint) =>
        IssuerFingerprint is byte[] fpr ? fpr.AsSpan().SequenceEqual(fingerprint) : IssuerKeyId?.AsSpan().SequenceEqual(fingerprint.AsSpan(12)) == true;

    private byte[]? Hashed(byte type) => HashedSubpackets.LastOrDefault(s => s.Type == type)?.Data;
}

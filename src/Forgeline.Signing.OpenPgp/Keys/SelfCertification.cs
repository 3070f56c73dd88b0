using Forgeline.Signing.OpenPgp.Packets;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>Creates the positive self-certification (type 0x13) that binds a user ID to a new primary key.</summary>
internal static class SelfCertification
{
    private const byte Sha256 = 8;
    private const byte Sha512 = 10;
    private const byte PositiveCertification = 0x13;

    /// <summary>The signature packet certifying <paramref name="userId"/> on <paramref name="key"/>, with flags certify+sign and the optional expiry.</summary>
    public static OpenPgpPacket Create(PublicKeyData key, byte[] userId, uint createdAt, uint? expiresAfterSeconds, DigestSigner signer)
    {
        var subpackets = new List<(byte, byte[])>
        {
            (SignatureSubpacket.CreationTime, SignatureSubpacket.Time(createdAt)),
            (SignatureSubpacket.KeyFlags, [0x03]),
        };
        if (expiresAfterSeconds is uint seconds)
        {
            subpackets.Add((SignatureSubpacket.KeyExpirationTime, SignatureSubpacket.Time(seconds)));
        }

        subpackets.Add((SignatureSubpacket.PreferredHashAlgorithms, [Sha512, Sha256]));
        subpackets.Add((SignatureSubpacket.PrimaryUserId, [1]));
        subpackets.Add((SignatureSubpacket.Features, [0x01]));
        subpackets.Add((SignatureSubpacket.IssuerFingerprint, [4, .. key.Fingerprint]));
        byte[] hashedArea = SignatureAssembler.HashedArea(
            PositiveCertification, key.AlgorithmId, Sha256, SignatureSubpacket.EncodeArea([.. subpackets]));

        using var hash = SignatureHashing.Create(Sha256);
        key.HashInto(hash);
        SignatureHashing.AppendUserPacket(hash, attribute: false, userId);
        byte[] digest = SignatureHashing.Finish(hash, hashedArea);
        byte[] packet = SignatureAssembler.Packet(hashedArea, key.KeyId, digest, signer.Sign(Sha256, digest));
        return OpenPgpPacketReader.ReadAll(packet, "self-signature")[0];
    }
}

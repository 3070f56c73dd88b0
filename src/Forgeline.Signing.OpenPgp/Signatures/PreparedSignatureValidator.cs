using System.Buffers.Binary;
using Forgeline.Signing.OpenPgp.Keys;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>
/// Checks that a client-prepared hashed area is exactly what the signer is willing to sign: a v4 binary-document signature by this key
/// with SHA-256 or SHA-512, carrying only a current creation time and this key's fingerprint. Anything else could make the signature
/// mean something the service never agreed to (a key certification, a timestamp far in the past, notations...).
/// </summary>
internal static class PreparedSignatureValidator
{
    /// <summary>Throws <see cref="OpenPgpRequestException"/> unless <paramref name="prepared"/> may be signed by <paramref name="key"/> at <paramref name="now"/>.</summary>
    public static void Validate(OpenPgpPreparedSignature prepared, PublicKeyData key, DateTimeOffset now, TimeSpan maxSkew)
    {
        byte[] area = prepared.HashedArea ?? throw Refuse("it has no hashed area");
        byte[] digest = prepared.Digest ?? throw Refuse("it has no digest");
        if (area.Length < 6)
        {
            throw Refuse($"its hashed area is {area.Length} bytes, shorter than the 6-byte fixed part of a v4 signature");
        }

        if (area[0] != 4)
        {
            throw Refuse($"its hashed area is for a version {area[0]} signature; only version 4 is signed");
        }

        if (prepared.SignatureType != 0x00 || area[1] != 0x00)
        {
            throw Refuse($"its signature type is 0x{area[1]:x2} (request says 0x{prepared.SignatureType:x2}); only binary document signatures (0x00) are signed");
        }

        if (area[2] != key.AlgorithmId)
        {
            throw Refuse($"its public-key algorithm is {area[2]}, but key {key.FingerprintHex} is {key.AlgorithmName} (algorithm {key.AlgorithmId})");
        }

        if (area[3] != (byte)prepared.Hash || prepared.Hash is not (OpenPgpHashAlgorithm.Sha256 or OpenPgpHashAlgorithm.Sha512))
        {
            throw Refuse($"its hash algorithm is {area[3]} (request says {prepared.Hash}); only SHA-256 (8) and SHA-512 (10) are signed, and both must agree");
        }

        if (digest.Length != SignatureHashing.DigestLength(area[3]))
        {
            throw Refuse($"its digest is {digest.Length} bytes, but a {prepared.Hash} digest is {SignatureHashing.DigestLength(area[3])}");
        }

        int declared = BinaryPrimitives.ReadUInt16BigEndian(area.AsSpan(4));
        if (declared != area.Length - 6)
        {
            throw Refuse(
                $"its hashed area declares {declared} bytes of subpackets but carries {area.Length - 6}; send version..subpackets only, " +
                "without the 0x04 0xFF length trailer");
        }

        List<SignatureSubpacket> subpackets;
        try
        {
            subpackets = SignatureSubpacket.ParseArea(area.AsSpan(6), "prepared hashed area");
        }
        catch (OpenPgpFormatException e)
        {
            throw new OpenPgpRequestException($"refusing to sign the prepared signature: {e.Message}", e);
        }

        CheckSubpackets(subpackets, key, now, maxSkew);
    }

    private static void CheckSubpackets(List<SignatureSubpacket> subpackets, PublicKeyData key, DateTimeOffset now, TimeSpan maxSkew)
    {
        if (subpackets.FirstOrDefault(s => s.Type is not (SignatureSubpacket.CreationTime or SignatureSubpacket.IssuerFingerprint)) is { } extra)
        {
            throw Refuse($"its hashed area holds subpacket type {extra.Type}; only signature creation time (2) and issuer fingerprint (33) are allowed");
        }

        SignatureSubpacket[] times = [.. subpackets.Where(s => s.Type == SignatureSubpacket.CreationTime)];
        SignatureSubpacket[] issuers = [.. subpackets.Where(s => s.Type == SignatureSubpacket.IssuerFingerprint)];
        if (times.Length != 1 || times[0].Data.Length != 4)
        {
            throw Refuse("its hashed area must hold exactly one 4-byte signature creation time");
        }

        if (issuers.Length != 1 || issuers[0].Data is not [4, ..] || !issuers[0].Data.AsSpan(1).SequenceEqual(key.Fingerprint))
        {
            string named = issuers.Length == 1 && issuers[0].Data.Length > 1 ? Convert.ToHexString(issuers[0].Data.AsSpan(1)) : "none";
            throw Refuse($"its issuer fingerprint is {named}, not this key's {key.FingerprintHex}; prepare it with this key's public key");
        }

        DateTimeOffset created = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(times[0].Data));
        if ((created - now).Duration() > maxSkew)
        {
            throw Refuse(
                $"its creation time {created:u} is more than {maxSkew.TotalMinutes:0} minutes from the signer's clock ({now:u}); " +
                "prepare the signature again just before sending it, and check the client's clock");
        }
    }

    private static OpenPgpRequestException Refuse(string reason) => new($"refusing to sign the prepared signature: {reason}");
}

using System.Text;
using Forgeline.Signing.OpenPgp.Packets;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>A transferable public or secret key (RFC 4880 sections 11.1 and 11.2): primary key, user IDs, subkeys and their signatures.</summary>
internal sealed class TransferableKey
{
    private TransferableKey(KeyComponent primary, PublicKeyData key, int publicLength, List<KeyComponent> users, List<KeyComponent> subkeys)
    {
        Primary = primary;
        Key = key;
        PublicLength = publicLength;
        Users = users;
        Subkeys = subkeys;
    }

    /// <summary>The primary key packet and its direct signatures (revocations, direct-key signatures).</summary>
    public KeyComponent Primary { get; }

    /// <summary>The public fields of the primary key.</summary>
    public PublicKeyData Key { get; }

    /// <summary>True when the primary key packet is a secret key packet.</summary>
    public bool IsSecret => Primary.Packet.Tag == OpenPgpPacket.SecretKey;

    /// <summary>The secret fields of the primary key packet (S2K usage onwards); empty for public keys.</summary>
    public ReadOnlySpan<byte> SecretFields => Primary.Packet.Body.AsSpan(PublicLength);

    /// <summary>User IDs and user attributes, each with its certifications.</summary>
    public List<KeyComponent> Users { get; }

    /// <summary>Subkeys with their binding signatures.</summary>
    public List<KeyComponent> Subkeys { get; }

    private int PublicLength { get; }

    /// <summary>Decodes armored text or base64 of binary key data and parses it.</summary>
    public static TransferableKey Decode(string text, string what)
    {
        if (OpenPgpArmor.LooksArmored(text))
        {
            return Parse(OpenPgpArmor.Decode(text, what).Data, what);
        }

        try
        {
            return Parse(Convert.FromBase64String(text.Trim()), what);
        }
        catch (FormatException e)
        {
            throw new OpenPgpFormatException(
                $"the {what} is neither ASCII-armored (-----BEGIN PGP ...) nor base64 of binary OpenPGP data; pass the output of gpg --armor", e);
        }
    }

    /// <summary>Parses binary key data, or armored data given as bytes.</summary>
    public static TransferableKey Parse(byte[] data, string what)
    {
        if (data.Length > 0 && (data[0] & 0x80) == 0)
        {
            return Decode(Encoding.UTF8.GetString(data), what);
        }

        List<OpenPgpPacket> packets = OpenPgpPacketReader.ReadAll(data, what);
        packets.RemoveAll(p => p.Tag is OpenPgpPacket.Trust or OpenPgpPacket.Marker);
        if (packets.Count == 0 || packets[0].Tag is not (OpenPgpPacket.PublicKey or OpenPgpPacket.SecretKey))
        {
            throw new OpenPgpFormatException(
                $"the {what} does not start with a key packet (it starts with packet tag {(packets.Count > 0 ? packets[0].Tag : 0)}); " +
                "pass a key exported with gpg --export or --export-secret-keys");
        }

        KeyComponent primary = new(packets[0], []);
        PublicKeyData key = PublicKeyData.Parse(packets[0].Body, what, out int publicLength);
        var users = new List<KeyComponent>();
        var subkeys = new List<KeyComponent>();
        KeyComponent current = primary;
        foreach (OpenPgpPacket packet in packets.Skip(1))
        {
            switch (packet.Tag)
            {
                case OpenPgpPacket.Signature:
                    current.Signatures.Add(packet);
                    break;
                case OpenPgpPacket.UserId or OpenPgpPacket.UserAttribute:
                    current = new KeyComponent(packet, []);
                    users.Add(current);
                    break;
                case OpenPgpPacket.PublicSubkey or OpenPgpPacket.SecretSubkey:
                    current = new KeyComponent(packet, []);
                    subkeys.Add(current);
                    break;
                case OpenPgpPacket.PublicKey or OpenPgpPacket.SecretKey:
                    throw new OpenPgpFormatException(
                        $"the {what} holds more than one key; export exactly one key (gpg --export-secret-keys --armor KEYID)");
                default:
                    throw new OpenPgpFormatException($"the {what} holds an unexpected packet (tag {packet.Tag}) where key packets belong");
            }
        }

        return new TransferableKey(primary, key, publicLength, users, subkeys);
    }

    /// <summary>The newest valid self-certification of each user ID, preferring one marked primary; null when none verifies.</summary>
    public (string UserId, SignaturePacket Certification)? PrimaryUserId()
    {
        (string UserId, SignaturePacket Certification)? best = null;
        foreach (KeyComponent user in Users.Where(u => u.Packet.Tag == OpenPgpPacket.UserId))
        {
            SignaturePacket? newest = null;
            foreach (SignaturePacket signature in ValidSignatures(user, 0x10, 0x11, 0x12, 0x13))
            {
                if (newest is null || signature.CreationTime > newest.CreationTime)
                {
                    newest = signature;
                }
            }

            if (newest is null)
            {
                continue;
            }

            string userId = Encoding.UTF8.GetString(user.Packet.Body);
            if (best is null || (newest.IsPrimaryUserId && !best.Value.Certification.IsPrimaryUserId))
            {
                best = (userId, newest);
            }
        }

        return best;
    }

    /// <summary>True when a valid key revocation signature (type 0x20) by the primary key is attached.</summary>
    public bool IsRevoked() => ValidSignatures(Primary, 0x20).Any();

    /// <summary>The public transferable key: secret key packets turned into public ones, everything else kept verbatim.</summary>
    public byte[] PublicKeyBytes()
    {
        var packets = new List<OpenPgpPacket> { new(OpenPgpPacket.PublicKey, Key.Body) };
        packets.AddRange(Primary.Signatures);
        foreach (KeyComponent user in Users)
        {
            packets.Add(user.Packet);
            packets.AddRange(user.Signatures);
        }

        foreach (KeyComponent subkey in Subkeys)
        {
            PublicKeyData sub = PublicKeyData.Parse(subkey.Packet.Body, "subkey", out _);
            packets.Add(new OpenPgpPacket(OpenPgpPacket.PublicSubkey, sub.Body));
            packets.AddRange(subkey.Signatures);
        }

        return OpenPgpPacketWriter.EncodeAll(packets);
    }

    /// <summary>A secret transferable key with <paramref name="secretBody"/> as primary and its user IDs; subkeys are left out (the signer never uses them).</summary>
    public byte[] SecretKeyBytes(byte[] secretBody)
    {
        var packets = new List<OpenPgpPacket> { new(OpenPgpPacket.SecretKey, secretBody) };
        packets.AddRange(Primary.Signatures);
        foreach (KeyComponent user in Users)
        {
            packets.Add(user.Packet);
            packets.AddRange(user.Signatures);
        }

        return OpenPgpPacketWriter.EncodeAll(packets);
    }

    private IEnumerable<SignaturePacket> ValidSignatures(KeyComponent component, params byte[] types)
    {
        foreach (OpenPgpPacket packet in component.Signatures)
        {
            SignaturePacket signature;
            try
            {
                signature = SignaturePacket.Parse(packet.Body, "key signature");
            }
            catch (OpenPgpFormatException)
            {
                continue; // v3 or unknown signatures on someone's key are not ours to judge; they just do not count
            }

            if (Array.IndexOf(types, signature.SignatureType) < 0 || !signature.IsIssuedBy(Key.Fingerprint)
                || SignatureHashing.NameOf(signature.HashAlgorithm) is null)
            {
                continue;
            }

            using var hash = SignatureHashing.Create(signature.HashAlgorithm);
            Key.HashInto(hash);
            if (component != Primary)
            {
                SignatureHashing.AppendUserPacket(hash, component.Packet.Tag == OpenPgpPacket.UserAttribute, component.Packet.Body);
            }

            if (SignatureVerifier.Verify(Key, signature, SignatureHashing.Finish(hash, signature.HashedArea)))
            {
                yield return signature;
            }
        }
    }
}

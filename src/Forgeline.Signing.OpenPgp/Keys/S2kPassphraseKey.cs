using System.Text;
using Forgeline.Signing.OpenPgp.Packets;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>String-to-key specifiers (RFC 4880 section 3.7): turn a passphrase into the key that protects a secret key packet.</summary>
internal static class S2kPassphraseKey
{
    /// <summary>Reads an S2K specifier from <paramref name="reader"/> and derives a <paramref name="keyLength"/>-byte key from <paramref name="passphrase"/>.</summary>
    public static byte[] Derive(ref OpenPgpBodyReader reader, string passphrase, int keyLength, string keyName)
    {
        byte type = reader.ReadByte();
        if (type == 101)
        {
            throw new OpenPgpFormatException(
                $"the secret part of key {keyName} is not in the export (a gpg stub: the key lives on a smartcard or was exported " +
                "with --export-secret-subkeys); export it from the machine that holds the real secret key");
        }

        if (type is not (0 or 1 or 3))
        {
            throw new OpenPgpFormatException($"key {keyName} is protected with unknown string-to-key type {type}; re-export it with gpg");
        }

        byte hashId = reader.ReadByte();
        ReadOnlySpan<byte> salt = type == 0 ? [] : reader.Take(8);
        long count = 0;
        if (type == 3)
        {
            byte coded = reader.ReadByte();
            count = (16L + (coded & 15)) << ((coded >> 4) + 6);
        }

        byte[] secret = Encoding.UTF8.GetBytes(passphrase);
        byte[] unit = [.. salt, .. secret];
        count = Math.Max(count, unit.Length);
        var key = new byte[keyLength];
        int filled = 0;
        for (int preload = 0; filled < keyLength; preload++)
        {
            IDigest digest = CreateDigest(hashId, keyName);
            for (int i = 0; i < preload; i++)
            {
                digest.Update(0);
            }

            Feed(digest, unit, type == 3 ? count : unit.Length);
            byte[] output = new byte[digest.GetDigestSize()];
            digest.DoFinal(output, 0);
            int take = Math.Min(output.Length, keyLength - filled);
            output.AsSpan(0, take).CopyTo(key.AsSpan(filled));
            filled += take;
        }

        return key;
    }

    private static void Feed(IDigest digest, byte[] unit, long count)
    {
        // Iterated S2K hashes up to 65 MB of repeated salt+passphrase; feed it in large blocks, not one unit at a time.
        int repeats = Math.Max(1, 65536 / Math.Max(unit.Length, 1));
        byte[] block = new byte[unit.Length * repeats];
        for (int i = 0; i < repeats; i++)
        {
            unit.CopyTo(block, i * unit.Length);
        }

        while (count > 0)
        {
            int chunk = (int)Math.Min(count, block.Length);
            digest.BlockUpdate(block, 0, chunk);
            count -= chunk;
        }
    }

    private static IDigest CreateDigest(byte hashId, string keyName) => hashId switch
    {
        1 => new MD5Digest(),
        2 => new Sha1Digest(),
        3 => new RipeMD160Digest(),
        8 => new Sha256Digest(),
        9 => new Sha384Digest(),
        10 => new Sha512Digest(),
        11 => new Sha224Digest(),
        _ => throw new OpenPgpFormatException($"key {keyName} is protected with unknown hash algorithm {hashId}; re-export it with gpg"),
    };
}

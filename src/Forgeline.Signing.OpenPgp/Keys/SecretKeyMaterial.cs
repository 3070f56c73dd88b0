using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Packets;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>The secret fields of a v4 secret key packet (RSA d, p, q, u or the Ed25519 seed), decrypted.</summary>
internal sealed class SecretKeyMaterial
{
    private SecretKeyMaterial(byte[][] values) => Values = values;

    /// <summary>The secret MPIs in packet order: RSA d, p, q, u (p &lt; q, u = p⁻¹ mod q), or the 32-byte Ed25519 seed.</summary>
    public byte[][] Values { get; }

    /// <summary>Reads (and with <paramref name="passphrase"/> decrypts) the secret fields that follow the public ones.</summary>
    public static SecretKeyMaterial Decode(ReadOnlySpan<byte> secretFields, PublicKeyData key, string? passphrase, string keyName)
    {
        var reader = new OpenPgpBodyReader(secretFields, $"secret key {keyName}");
        byte usage = reader.ReadByte();
        byte[] plain;
        bool sha1Check = usage == 254;
        if (usage == 0)
        {
            plain = reader.TakeRest().ToArray();
        }
        else if (usage is 254 or 255)
        {
            byte cipher = reader.ReadByte();
            int keyLength = SecretKeyCipher.KeyLength(cipher, keyName);
            if (passphrase is null)
            {
                throw new OpenPgpRequestException(
                    $"secret key {keyName} is protected by a passphrase; pass the passphrase it was exported with");
            }

            byte[] derived = S2kPassphraseKey.Derive(ref reader, passphrase, keyLength, keyName);
            ReadOnlySpan<byte> iv = reader.Take(SecretKeyCipher.BlockLength(cipher));
            plain = SecretKeyCipher.Decrypt(cipher, derived, iv, reader.TakeRest());
            CryptographicOperations.ZeroMemory(derived);
        }
        else
        {
            throw new OpenPgpFormatException(
                $"secret key {keyName} uses protection mode {usage}, which is not supported; export it again with gpg 2.2 or later");
        }

        bool protectedKey = usage != 0;
        int checkLength = sha1Check ? 20 : 2;
        if (plain.Length < checkLength || !ChecksumMatches(plain.AsSpan(0, plain.Length - checkLength), plain.AsSpan(plain.Length - checkLength), sha1Check))
        {
            throw protectedKey
                ? new OpenPgpRequestException(
                    $"the passphrase does not unlock secret key {keyName}: the decrypted key fails its integrity check; check the passphrase")
                : new OpenPgpFormatException($"secret key {keyName} is damaged: its checksum does not match");
        }

        var values = new List<byte[]>();
        var mpis = new OpenPgpBodyReader(plain.AsSpan(0, plain.Length - checkLength), $"secret key {keyName}");
        int expected = key.AlgorithmId == PublicKeyData.EdDsa ? 1 : 4;
        for (int i = 0; i < expected; i++)
        {
            values.Add(mpis.ReadMpi().ToArray());
        }

        CryptographicOperations.ZeroMemory(plain);
        var material = new SecretKeyMaterial([.. values]);
        material.CheckMatches(key, keyName);
        return material;
    }

    /// <summary>Secret fields of an RSA key, from the primes and private exponent.</summary>
    public static SecretKeyMaterial ForRsa(ReadOnlySpan<byte> d, ReadOnlySpan<byte> prime1, ReadOnlySpan<byte> prime2)
    {
        BigInteger a = Positive(prime1), b = Positive(prime2);
        (BigInteger p, BigInteger q) = a.CompareTo(b) < 0 ? (a, b) : (b, a);
        return new SecretKeyMaterial([Positive(d).ToByteArrayUnsigned(), p.ToByteArrayUnsigned(), q.ToByteArrayUnsigned(), p.ModInverse(q).ToByteArrayUnsigned()]);
    }

    /// <summary>Secret fields of an Ed25519 key.</summary>
    public static SecretKeyMaterial ForEd25519(ReadOnlySpan<byte> seed) => new([seed.ToArray()]);

    /// <summary>The 32-byte Ed25519 seed.</summary>
    public byte[] Ed25519Seed() => OpenPgpMpi.PadLeft(Values[0], 32, "Ed25519 secret key");

    /// <summary>The RSA key in the form .NET imports (all CRT fields, padded to the lengths it requires).</summary>
    public RSAParameters ToRsaParameters(PublicKeyData key)
    {
        BigInteger d = Positive(Values[0]), p = Positive(Values[1]), q = Positive(Values[2]);
        int length = key.RsaModulus!.Length;
        int half = (length + 1) / 2;
        return new RSAParameters
        {
            Modulus = key.RsaModulus,
            Exponent = key.RsaExponent,
            D = OpenPgpMpi.PadLeft(Values[0], length, "RSA private exponent"),
            P = OpenPgpMpi.PadLeft(Values[1], half, "RSA prime p"),
            Q = OpenPgpMpi.PadLeft(Values[2], half, "RSA prime q"),
            DP = OpenPgpMpi.PadLeft(d.Mod(p.Subtract(BigInteger.One)).ToByteArrayUnsigned(), half, "RSA exponent dP"),
            DQ = OpenPgpMpi.PadLeft(d.Mod(q.Subtract(BigInteger.One)).ToByteArrayUnsigned(), half, "RSA exponent dQ"),
            InverseQ = OpenPgpMpi.PadLeft(q.ModInverse(p).ToByteArrayUnsigned(), half, "RSA coefficient"),
        };
    }

    /// <summary>The secret key packet body with these fields unprotected (S2K usage 0 and the 16-bit checksum).</summary>
    public byte[] EncodeUnprotectedBody(PublicKeyData key)
    {
        using var fields = new MemoryStream();
        foreach (byte[] value in Values)
        {
            OpenPgpMpi.Write(value, fields);
        }

        byte[] mpis = fields.ToArray();
        int sum = 0;
        foreach (byte b in mpis)
        {
            sum += b;
        }

        byte[] body = [.. key.Body, 0, .. mpis, (byte)(sum >> 8), (byte)sum];
        CryptographicOperations.ZeroMemory(mpis);
        return body;
    }

    private static bool ChecksumMatches(ReadOnlySpan<byte> data, ReadOnlySpan<byte> check, bool sha1)
    {
        if (sha1)
        {
#pragma warning disable CA5350 // the secret key packet format fixes SHA-1 as its integrity check (RFC 4880 section 5.5.3)
            return CryptographicOperations.FixedTimeEquals(SHA1.HashData(data), check);
#pragma warning restore CA5350
        }

        int sum = 0;
        foreach (byte b in data)
        {
            sum += b;
        }

        return check[0] == (byte)(sum >> 8) && check[1] == (byte)sum;
    }

    private static BigInteger Positive(ReadOnlySpan<byte> magnitude) => new(1, magnitude.ToArray());

    private void CheckMatches(PublicKeyData key, string keyName)
    {
        if (key.Ed25519PublicKey is byte[] expected)
        {
            var derived = new byte[32];
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(Ed25519Seed(), 0, derived, 0);
            if (!derived.AsSpan().SequenceEqual(expected))
            {
                throw new OpenPgpFormatException($"secret key {keyName} is damaged: its Ed25519 secret does not belong to its public key");
            }
        }
        else if (key.RsaModulus is byte[] modulus && !Positive(Values[1]).Multiply(Positive(Values[2])).Equals(Positive(modulus)))
        {
            throw new OpenPgpFormatException($"secret key {keyName} is damaged: its RSA primes do not multiply to its modulus");
        }
    }
}

using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Forgeline.Signing.OpenPgp.Keys;

/// <summary>The symmetric ciphers that may protect a v4 secret key packet, used in plain CFB mode (RFC 4880 section 5.5.3).</summary>
internal static class SecretKeyCipher
{
    /// <summary>Key length in bytes of cipher <paramref name="algorithm"/>.</summary>
    public static int KeyLength(byte algorithm, string keyName) => algorithm switch
    {
        2 => 24,
        3 or 4 or 7 or 11 => 16,
        8 or 12 => 24,
        9 or 10 or 13 => 32,
        _ => throw new OpenPgpFormatException(
            $"key {keyName} is protected with unsupported cipher {algorithm}; re-export it with gpg (which uses AES)"),
    };

    /// <summary>Block (and IV) length in bytes of cipher <paramref name="algorithm"/>.</summary>
    public static int BlockLength(byte algorithm) => algorithm is 2 or 3 or 4 ? 8 : 16;

    /// <summary>Decrypts <paramref name="data"/> with CFB mode.</summary>
    public static byte[] Decrypt(byte algorithm, byte[] key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data)
    {
        IBlockCipher engine = algorithm switch
        {
            2 => new DesEdeEngine(),
            3 => new Cast5Engine(),
            4 => new BlowfishEngine(),
            7 or 8 or 9 => new AesEngine(),
            10 => new TwofishEngine(),
            _ => new CamelliaEngine(),
        };
        int block = BlockLength(algorithm);
        var cfb = new CfbBlockCipher(engine, block * 8);
        cfb.Init(false, new ParametersWithIV(new KeyParameter(key), iv.ToArray()));

        // CFB decrypts a byte from the ciphertext before it, so zero-padding the last block and cutting it off again is exact.
        int padded = (data.Length + block - 1) / block * block;
        byte[] input = new byte[padded];
        data.CopyTo(input);
        byte[] output = new byte[padded];
        for (int offset = 0; offset < padded; offset += block)
        {
            cfb.ProcessBlock(input, offset, output, offset);
        }

        return output[..data.Length];
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Signing.Kms;

/// <summary>
/// Envelope encryption of private keys: each secret gets its own random 256-bit data key (AES-256-GCM),
/// and the data key is wrapped by <paramref name="kek"/>. The caller keeps ownership of <paramref name="kek"/>.
/// </summary>
/// <param name="kek">The key-encryption key that wraps the data keys.</param>
public sealed class KeySealer(IKeyEncryptionKey kek)
{
    private const byte FormatVersion = 1;
    private const int DataKeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly IKeyEncryptionKey kek = kek ?? throw new ArgumentNullException(nameof(kek));

    /// <summary>
    /// Encrypts <paramref name="secret"/> under a fresh data key; <paramref name="context"/> (the key's name or id) is authenticated,
    /// so the result only unseals with the same context.
    /// </summary>
    public SealedSecret Seal(ReadOnlySpan<byte> secret, string context)
    {
        ArgumentException.ThrowIfNullOrEmpty(context);
        Span<byte> dataKey = stackalloc byte[DataKeySize];
        try
        {
            RandomNumberGenerator.Fill(dataKey);
            var ciphertext = new byte[HeaderSize + secret.Length];
            ciphertext[0] = FormatVersion;
            var nonce = ciphertext.AsSpan(1, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(dataKey, TagSize))
            {
                aes.Encrypt(nonce, secret, ciphertext.AsSpan(HeaderSize), ciphertext.AsSpan(1 + NonceSize, TagSize), AssociatedData(context));
            }

            return new SealedSecret(kek.Provider, kek.KeyId, kek.Wrap(dataKey), ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="sealedSecret"/>; throws <see cref="KeySealingException"/> when it was sealed under another key-encryption key,
    /// was modified, or was sealed for another <paramref name="context"/>. The caller zeroes the result when done.
    /// </summary>
    public byte[] Unseal(SealedSecret sealedSecret, string context)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        ArgumentException.ThrowIfNullOrEmpty(context);
        if (sealedSecret.Provider != kek.Provider || sealedSecret.KekId != kek.KeyId)
        {
            throw new KeySealingException(
                $"'{context}' was sealed with key-encryption key {sealedSecret.Provider}:{sealedSecret.KekId} but this server's " +
                $"{(kek.Provider == FileKeyEncryptionKey.ProviderName ? "master key" : "key-encryption key")} is {kek.Provider}:{kek.KeyId}; " +
                FixFor(sealedSecret.Provider));
        }

        var ciphertext = sealedSecret.Ciphertext;
        if (ciphertext.Length < HeaderSize)
        {
            throw KeySealingException.Modified($"the ciphertext of '{context}' is {ciphertext.Length} bytes, too short to be one");
        }

        if (ciphertext[0] != FormatVersion)
        {
            throw KeySealingException.Modified($"the ciphertext of '{context}' has unknown format version {ciphertext[0]}");
        }

        var dataKey = kek.Unwrap(sealedSecret.WrappedDataKey);
        var secret = new byte[ciphertext.Length - HeaderSize];
        try
        {
            if (dataKey.Length != DataKeySize)
            {
                throw KeySealingException.Modified($"the data key of '{context}' is {dataKey.Length} bytes, not {DataKeySize}");
            }

            using var aes = new AesGcm(dataKey, TagSize);
            aes.Decrypt(ciphertext.AsSpan(1, NonceSize), ciphertext.AsSpan(HeaderSize), ciphertext.AsSpan(1 + NonceSize, TagSize), secret, AssociatedData(context));
            return secret;
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(secret);
            throw new KeySealingException(
                $"the sealed key was modified (authentication failed), or it belongs to another key than '{context}' (sealed blobs cannot move between keys)", e);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(secret);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The format version followed by the context: binds the ciphertext to both.</summary>
    private static byte[] AssociatedData(string context)
    {
        var data = new byte[1 + Encoding.UTF8.GetByteCount(context)];
        data[0] = FormatVersion;
        Encoding.UTF8.GetBytes(context, data.AsSpan(1));
        return data;
    }

    private static string FixFor(string provider) => provider switch
    {
        FileKeyEncryptionKey.ProviderName =>
            $"restore the original master key file ({KmsOptions.Section}:{nameof(KmsOptions.MasterKeyPath)}) from your backup",
        Pkcs11KeyEncryptionKey.ProviderName =>
            $"point {KmsOptions.Section} at the PKCS#11 token and key it was sealed with (Provider=pkcs11, {nameof(KmsOptions.Pkcs11Token)}, {nameof(KmsOptions.Pkcs11KeyLabel)})",
        _ => $"configure {KmsOptions.Section} with the key-encryption key it was sealed with",
    };
}

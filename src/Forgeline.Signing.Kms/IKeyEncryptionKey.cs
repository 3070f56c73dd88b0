namespace Forgeline.Signing.Kms;

/// <summary>A key-encryption key (KEK): wraps and unwraps the per-secret data keys of <see cref="KeySealer"/>.</summary>
public interface IKeyEncryptionKey : IDisposable
{
    /// <summary>The provider's name as stored in sealed secrets: <c>file</c> or <c>pkcs11</c>.</summary>
    string Provider { get; }

    /// <summary>Identifies this KEK, so a secret sealed under another KEK is recognised before any decryption is tried.</summary>
    string KeyId { get; }

    /// <summary>Encrypts and authenticates <paramref name="dataKey"/>; every call uses a fresh random nonce.</summary>
    byte[] Wrap(ReadOnlySpan<byte> dataKey);

    /// <summary>Returns the data key inside <paramref name="wrapped"/>; throws <see cref="KeySealingException"/> when it was modified. The caller zeroes the result.</summary>
    byte[] Unwrap(ReadOnlySpan<byte> wrapped);
}

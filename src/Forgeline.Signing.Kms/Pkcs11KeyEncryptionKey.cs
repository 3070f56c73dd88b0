using System.Security.Cryptography;
using Forgeline.Signing.Kms.Pkcs11;

namespace Forgeline.Signing.Kms;

/// <summary>
/// A key-encryption key that never leaves an HSM: a sensitive, non-extractable AES-256 secret key on a PKCS#11 token,
/// used with CKM_AES_GCM through C_Encrypt/C_Decrypt. Wrapped data keys are
/// <c>version(1) ‖ iv(12) ‖ ciphertext ‖ tag(16)</c>, the version byte being the associated data; the IV is random.
/// One session per instance, its calls serialised by a lock.
/// </summary>
public sealed class Pkcs11KeyEncryptionKey : IKeyEncryptionKey
{
    /// <summary>The provider name stored in sealed secrets.</summary>
    public const string ProviderName = "pkcs11";

    private const byte FormatVersion = 1;
    private const int IvSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + IvSize;

    private readonly Pkcs11Session session;
    private readonly nuint key;
    private readonly Lock gate = new();
    private bool disposed;

    private Pkcs11KeyEncryptionKey(Pkcs11Session session, nuint key, string keyId)
    {
        this.session = session;
        this.key = key;
        KeyId = keyId;
    }

    /// <inheritdoc />
    public string Provider => ProviderName;

    /// <summary><c>token label/key label/CKA_ID in hex</c>: a regenerated key under the same labels gets a new CKA_ID, so it is told apart.</summary>
    public string KeyId { get; }

    /// <summary>
    /// Logs in to the token labelled <paramref name="tokenLabel"/> of the module at <paramref name="libraryPath"/> and finds the AES key labelled
    /// <paramref name="keyLabel"/>; when there is none and <paramref name="createIfMissing"/> is set, generates it on the token with a random CKA_ID.
    /// </summary>
    public static Pkcs11KeyEncryptionKey Open(string libraryPath, string tokenLabel, string pin, string keyLabel, bool createIfMissing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        ArgumentException.ThrowIfNullOrEmpty(tokenLabel);
        ArgumentNullException.ThrowIfNull(pin);
        ArgumentException.ThrowIfNullOrEmpty(keyLabel);

        var library = Pkcs11Library.Acquire(libraryPath);
        Pkcs11Session? session = null;
        var loggedIn = false;
        try
        {
            var slot = library.FindSlot(tokenLabel);
            session = Pkcs11Session.Open(library, slot);
            library.Login(session.Handle, slot, pin);
            loggedIn = true;
            var (key, id) = FindOrCreateKey(session, tokenLabel, keyLabel, createIfMissing);
            return new Pkcs11KeyEncryptionKey(session, key, $"{tokenLabel}/{keyLabel}/{Convert.ToHexStringLower(id)}");
        }
        catch
        {
            if (loggedIn)
            {
                library.Logout(session!.Handle, session.Slot);
            }

            session?.Close();
            library.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public byte[] Wrap(ReadOnlySpan<byte> dataKey)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        header[0] = FormatVersion;
        RandomNumberGenerator.Fill(header[1..]);
        byte[] encrypted;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            encrypted = session.EncryptGcm(key, header[1..], header[..1], dataKey);
        }

        var wrapped = new byte[HeaderSize + encrypted.Length];
        header.CopyTo(wrapped);
        encrypted.CopyTo(wrapped, HeaderSize);
        return wrapped;
    }

    /// <inheritdoc />
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < HeaderSize + TagSize)
        {
            throw KeySealingException.Modified($"the wrapped data key is {wrapped.Length} bytes, too short to be one");
        }

        if (wrapped[0] != FormatVersion)
        {
            throw KeySealingException.Modified($"the wrapped data key has unknown format version {wrapped[0]}");
        }

        nuint rv;
        byte[] dataKey;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            rv = session.DecryptGcm(key, wrapped[1..HeaderSize], wrapped[..1], wrapped[HeaderSize..], out dataKey);
        }

        // A failed tag check is CKR_ENCRYPTED_DATA_INVALID in the standard; SoftHSM 2.6 reports it as CKR_GENERAL_ERROR.
        if (rv is Pkcs11ReturnValues.EncryptedDataInvalid or Pkcs11ReturnValues.EncryptedDataLengthRange or Pkcs11ReturnValues.GeneralError)
        {
            throw new KeySealingException(
                $"the sealed key was modified (authentication failed): the HSM rejected the wrapped data key with {Pkcs11ReturnValues.Name(rv)}")
            {
                Pkcs11ReturnValue = Pkcs11ReturnValues.Name(rv),
            };
        }

        Pkcs11ReturnValues.ThrowIfFailed(rv, "C_Decrypt");
        return dataKey;
    }

    /// <summary>Logs out (when it was the last user of the token's login), closes the session and releases the module.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            session.Library.Logout(session.Handle, session.Slot);
            session.Close();
            session.Library.Release();
        }
    }

    private static (nuint Key, byte[] Id) FindOrCreateKey(Pkcs11Session session, string tokenLabel, string keyLabel, bool createIfMissing)
    {
        var keys = session.FindSecretKeys(keyLabel);
        if (keys.Count == 0)
        {
            if (!createIfMissing)
            {
                throw new KeySealingException(
                    $"PKCS#11: token '{tokenLabel}' has no secret key labelled '{keyLabel}'; check {KmsOptions.Section}:{nameof(KmsOptions.Pkcs11KeyLabel)}, " +
                    $"or set {KmsOptions.Section}:{nameof(KmsOptions.Pkcs11CreateKeyIfMissing)} to generate it");
            }

            var id = RandomNumberGenerator.GetBytes(16);
            return (session.GenerateAesKey(keyLabel, id), id);
        }

        if (keys.Count > 1)
        {
            throw new KeySealingException($"PKCS#11: token '{tokenLabel}' has {keys.Count} secret keys labelled '{keyLabel}'; give the key-encryption key a unique label");
        }

        var keyType = session.GetAttribute(keys[0], Ck.KeyType);
        if (keyType is null || keyType.Length != IntPtr.Size || System.Runtime.InteropServices.MemoryMarshal.Read<nuint>(keyType) != Ck.AesKeyType)
        {
            throw new KeySealingException($"PKCS#11: the key labelled '{keyLabel}' on token '{tokenLabel}' is not an AES key; the key-encryption key must be an AES-256 secret key");
        }

        return (keys[0], session.GetAttribute(keys[0], Ck.Id) ?? []);
    }
}

using System.Security.Cryptography;

namespace Forgeline.Signing.Kms;

/// <summary>
/// A key-encryption key kept in a 32-byte master key file readable only by its owner (mode 0600).
/// Wrapped data keys are <c>version(1) ‖ nonce(12) ‖ tag(16) ‖ AES-256-GCM ciphertext</c>, the version byte being the associated data.
/// </summary>
public sealed class FileKeyEncryptionKey : IKeyEncryptionKey
{
    /// <summary>The provider name stored in sealed secrets.</summary>
    public const string ProviderName = "file";

    /// <summary>The size of a master key: 256 bits.</summary>
    public const int MasterKeySize = 32;

    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly AesGcm aes;
    private readonly Lock gate = new();
    private bool disposed;

    private FileKeyEncryptionKey(string path, ReadOnlySpan<byte> masterKey)
    {
        Path = path;
        aes = new AesGcm(masterKey, TagSize);
        KeyId = Convert.ToHexStringLower(SHA256.HashData(masterKey))[..16];
    }

    /// <inheritdoc />
    public string Provider => ProviderName;

    /// <summary>The first 16 hex digits of the SHA-256 of the master key.</summary>
    public string KeyId { get; }

    /// <summary>The full path of the master key file.</summary>
    public string Path { get; }

    /// <summary>
    /// Loads the master key at <paramref name="path"/>, first creating it (random, mode 0600 from the start, directory 0700 if missing) when there is none.
    /// Refuses a file that others may read or write, or that is not exactly 32 bytes.
    /// </summary>
    public static FileKeyEncryptionKey OpenOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        try
        {
            if (!File.Exists(fullPath))
            {
                Create(fullPath);
            }

            return Load(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeySealingException($"cannot read or create the master key file {fullPath}: {e.Message}; check that the directory exists and belongs to the user running Forgeline", e);
        }
    }

    /// <inheritdoc />
    public byte[] Wrap(ReadOnlySpan<byte> dataKey)
    {
        var wrapped = new byte[HeaderSize + dataKey.Length];
        wrapped[0] = FormatVersion;
        var nonce = wrapped.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            aes.Encrypt(nonce, dataKey, wrapped.AsSpan(HeaderSize), wrapped.AsSpan(1 + NonceSize, TagSize), wrapped.AsSpan(0, 1));
        }

        return wrapped;
    }

    /// <inheritdoc />
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < HeaderSize)
        {
            throw KeySealingException.Modified($"the wrapped data key is {wrapped.Length} bytes, too short to be one");
        }

        if (wrapped[0] != FormatVersion)
        {
            throw KeySealingException.Modified($"the wrapped data key has unknown format version {wrapped[0]}");
        }

        var dataKey = new byte[wrapped.Length - HeaderSize];
        try
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                aes.Decrypt(wrapped.Slice(1, NonceSize), wrapped[HeaderSize..], wrapped.Slice(1 + NonceSize, TagSize), dataKey, wrapped[..1]);
            }

            return dataKey;
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw new KeySealingException("the sealed key was modified (authentication failed): the wrapped data key does not verify under this master key", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            if (!disposed)
            {
                disposed = true;
                aes.Dispose();
            }
        }
    }

    private static void Create(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Written under a private name, then linked into place without replacing: a crash leaves no half-written
        // master key, and when two processes race, both end up using the one that got there first.
        var temporary = $"{path}.new-{Guid.NewGuid():N}";
        var key = GC.AllocateArray<byte>(MasterKeySize, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(key);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var file = new FileStream(temporary, options))
            {
                file.Write(key);
                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it meanwhile; Load reads theirs.
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            File.Delete(temporary);
        }
    }

    private static FileKeyEncryptionKey Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var mode = File.GetUnixFileMode(file.SafeFileHandle);
        if ((mode & GroupOrOther) != 0)
        {
            throw new KeySealingException(
                $"the master key file {path} has mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}, so other users may read or replace it; " +
                $"it must be accessible only by its owner: run 'chmod 600 {path}' (and consider the key exposed if others could read it)");
        }

        if (file.Length != MasterKeySize)
        {
            throw new KeySealingException(
                $"the master key file {path} is {file.Length} bytes, not {MasterKeySize}: it is truncated or not a Forgeline master key; " +
                "restore it from your backup (do not delete it: every key sealed under it would become unreadable)");
        }

        var key = GC.AllocateArray<byte>(MasterKeySize, pinned: true);
        try
        {
            file.ReadExactly(key);
            return new FileKeyEncryptionKey(path, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Forgeline.Data.Entities;
using Forgeline.Signing.Kms;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;

namespace Forgeline.Signing;

/// <summary>
/// Private keys unsealed once and kept in the signer's memory, so a batch of a thousand RPMs costs one KMS call, not a
/// thousand. Entries are keyed by name and sealed blob, so a changed key is never served stale; delete evicts.
/// </summary>
public sealed class LoadedKeyCache(KeySealer sealer) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IDisposable>> keys = new(StringComparer.Ordinal);

    /// <summary>The sealing context of a key: binds its sealed blob to its name.</summary>
    public static string Context(string name) => $"forgeline-signing-key:{name}";

    /// <summary>The OpenPGP private key of <paramref name="key"/>.</summary>
    public OpenPgpPrivateKey OpenPgp(SigningKeyRecord key) =>
        (OpenPgpPrivateKey)Get(key, material => OpenPgpPrivateKey.Load(material));

    /// <summary>The X.509 private key of <paramref name="key"/>.</summary>
    public X509PrivateKey X509(SigningKeyRecord key) =>
        (X509PrivateKey)Get(key, material => X509PrivateKey.Load(material, KeyKinds.ToX509(key.Algorithm)));

    /// <summary>Forgets every cached copy of the key called <paramref name="name"/>.</summary>
    public void Evict(string name)
    {
        foreach (var entry in keys.Keys.Where(k => k.StartsWith(name + "\n", StringComparison.Ordinal)))
        {
            if (keys.TryRemove(entry, out var removed) && removed.IsValueCreated)
            {
                removed.Value.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var entry in keys.Values.Where(v => v.IsValueCreated))
        {
            entry.Value.Dispose();
        }

        keys.Clear();
    }

    private IDisposable Get(SigningKeyRecord key, Func<byte[], IDisposable> load)
    {
        var id = $"{key.Name}\n{Convert.ToHexString(SHA256.HashData(key.SealedPrivateKey))}";
        var entry = keys.GetOrAdd(id, _ => new Lazy<IDisposable>(() =>
        {
            var material = sealer.Unseal(SealedSecret.FromBytes(key.SealedPrivateKey), Context(key.Name));
            try
            {
                return load(material);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(material);
            }
        }));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A failed unseal (wrong master key, tampered blob) must not be cached: the next request tries again.
            keys.TryRemove(id, out _);
            throw;
        }
    }
}

using System.Security.Cryptography;

namespace Forgeline.Rpm;

/// <summary>rpm's (OpenPGP's) numbers for digest algorithms, as RPMTAG_PAYLOADDIGESTALGO (5093) stores them.</summary>
internal static class HashAlgorithmId
{
    /// <summary>SHA-256 (8), rpm's default payload digest.</summary>
    public const int Sha256 = 8;

    /// <summary>The name rpm prints for algorithm <paramref name="id"/>.</summary>
    public static string Name(int id) => id switch
    {
        8 => "SHA256",
        9 => "SHA384",
        10 => "SHA512",
        _ => $"algorithm-{id}",
    };

    /// <summary>An incremental hash for <paramref name="id"/>, or null for one not supported here.</summary>
    public static IncrementalHash? Create(int id) => id switch
    {
        8 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        9 => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
        10 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => null,
    };
}

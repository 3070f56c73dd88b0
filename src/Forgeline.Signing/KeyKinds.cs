namespace Forgeline.Signing;

/// <summary>The kinds of key, their algorithms and what each may sign: one table every check reads.</summary>
public static class KeyKinds
{
    /// <summary>OpenPGP keys.</summary>
    public const string OpenPgp = "openpgp";

    /// <summary>X.509 keys with certificates.</summary>
    public const string X509 = "x509";

    /// <summary>Formats, by the kind of key that signs them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Purposes = new Dictionary<string, string[]>
    {
        [OpenPgp] = ["rpm", "file", "container"],
        [X509] = ["kmod", "efi", "ca"],
    };

    /// <summary>Algorithms, by kind.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Algorithms = new Dictionary<string, string[]>
    {
        [OpenPgp] = ["rsa2048", "rsa3072", "rsa4096", "ed25519"],
        [X509] = ["rsa2048", "rsa3072", "rsa4096", "ecdsa-p256"],
    };

    /// <summary>The kind of key that signs <paramref name="format"/>, or null for an unknown format.</summary>
    public static string? KindFor(string format) =>
        Purposes.FirstOrDefault(p => p.Value.Contains(format) && format != "ca").Key;

    /// <summary>The OpenPGP algorithm for its API name.</summary>
    public static OpenPgp.OpenPgpAlgorithm ToOpenPgp(string algorithm) => algorithm switch
    {
        "rsa2048" => Forgeline.Signing.OpenPgp.OpenPgpAlgorithm.Rsa2048,
        "rsa3072" => Forgeline.Signing.OpenPgp.OpenPgpAlgorithm.Rsa3072,
        "rsa4096" => Forgeline.Signing.OpenPgp.OpenPgpAlgorithm.Rsa4096,
        "ed25519" => Forgeline.Signing.OpenPgp.OpenPgpAlgorithm.Ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an OpenPGP algorithm"),
    };

    /// <summary>The X.509 algorithm for its API name.</summary>
    public static X509.X509Algorithm ToX509(string algorithm) => algorithm switch
    {
        "rsa2048" => Forgeline.Signing.X509.X509Algorithm.Rsa2048,
        "rsa3072" => Forgeline.Signing.X509.X509Algorithm.Rsa3072,
        "rsa4096" => Forgeline.Signing.X509.X509Algorithm.Rsa4096,
        "ecdsa-p256" => Forgeline.Signing.X509.X509Algorithm.EcdsaP256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "not an X.509 algorithm"),
    };

    /// <summary>The API name of an OpenPGP algorithm.</summary>
    public static string Name(OpenPgp.OpenPgpAlgorithm algorithm) => algorithm.ToString().ToLowerInvariant();

    /// <summary>The API name of an X.509 algorithm.</summary>
    public static string Name(X509.X509Algorithm algorithm) => algorithm == Forgeline.Signing.X509.X509Algorithm.EcdsaP256 ? "ecdsa-p256" : algorithm.ToString().ToLowerInvariant();
}

namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>Keys generated once per test run with <see cref="OpenPgpKeyFactory"/> (RSA-4096 takes a second or two to generate).</summary>
public static class TestKeys
{
    /// <summary>Creation time of the shared keys: a day before the run, so signatures made "now" are after it.</summary>
    public static readonly DateTimeOffset CreatedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds());

    /// <summary>Expiry of the shared keys.</summary>
    public static readonly DateTimeOffset ExpiresAt = CreatedAt.AddDays(400);

    private static readonly Dictionary<OpenPgpAlgorithm, Lazy<OpenPgpKeyMaterial>> Primary = Enum.GetValues<OpenPgpAlgorithm>()
        .ToDictionary(a => a, a => new Lazy<OpenPgpKeyMaterial>(() => Generate(a, "Forgeline Test")));

    private static readonly Dictionary<OpenPgpAlgorithm, Lazy<OpenPgpKeyMaterial>> Secondary = Enum.GetValues<OpenPgpAlgorithm>()
        .ToDictionary(a => a, a => new Lazy<OpenPgpKeyMaterial>(() => Generate(a, "Forgeline Second")));

    private static readonly Dictionary<OpenPgpAlgorithm, Lazy<OpenPgpPrivateKey>> Loaded = Enum.GetValues<OpenPgpAlgorithm>()
        .ToDictionary(a => a, a => new Lazy<OpenPgpPrivateKey>(() => OpenPgpPrivateKey.Load(Material(a).SecretKey)));

    /// <summary>All algorithms, for theories.</summary>
    public static TheoryData<OpenPgpAlgorithm> Algorithms => new(Enum.GetValues<OpenPgpAlgorithm>());

    /// <summary>The shared key of <paramref name="algorithm"/>.</summary>
    public static OpenPgpKeyMaterial Material(OpenPgpAlgorithm algorithm) => Primary[algorithm].Value;

    /// <summary>A second, different key of <paramref name="algorithm"/>.</summary>
    public static OpenPgpKeyMaterial SecondMaterial(OpenPgpAlgorithm algorithm) => Secondary[algorithm].Value;

    /// <summary>The shared key of <paramref name="algorithm"/>, loaded for signing (never disposed; it lives for the run).</summary>
    public static OpenPgpPrivateKey Signer(OpenPgpAlgorithm algorithm) => Loaded[algorithm].Value;

    private static OpenPgpKeyMaterial Generate(OpenPgpAlgorithm algorithm, string name) =>
        OpenPgpKeyFactory.Generate(algorithm, $"{name} {algorithm} <{algorithm.ToString().ToLowerInvariant()}@forgeline.test>", CreatedAt, ExpiresAt);
}

using Forgeline.Repositories;
using Forgeline.Core;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// Real signed RPMs for the repository tests, and a throwaway gpg key that signs them (rpmsign) and repomd.xml:
/// alpha 1.0 (requires beta), beta, gamma and delta 1.0, and alpha 2.0. A second key signs what must be refused.
/// </summary>
public sealed class RepositoryPackagesFixture : IAsyncLifetime
{
    private const string UserId = "Forgeline Repository Test <repo@test.invalid>";
    private readonly TempDirectory dir = new("forgeline-repo-packages");
    private readonly Dictionary<string, string> rpms = new(StringComparer.Ordinal);

    /// <summary>GNUPGHOME holding the repository key.</summary>
    public string GnupgHome => dir["gnupg"];

    /// <summary>GNUPGHOME holding a key no repository trusts.</summary>
    public string OtherGnupgHome => dir["gnupg-other"];

    /// <summary>The repository key, armored, as users fetch it (gpgkey=).</summary>
    public string PublicKey { get; private set; } = "";

    /// <summary>Where the test RPMs are; stands for the artifact store.</summary>
    public string Store => dir["store"];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var made = await NoarchRpms.BuildAsync(Store, "repo-test", ["alpha", "beta", "gamma", "delta"], "1.0", new Dictionary<string, string> { ["alpha"] = "beta" });
        made = [.. made, .. await NoarchRpms.BuildAsync(Store, "repo-test", ["alpha"], "2.0", new Dictionary<string, string> { ["alpha"] = "beta" })];
        await MakeKeyAsync(GnupgHome, UserId);
        await MakeKeyAsync(OtherGnupgHome, "Someone Else <else@test.invalid>");
        await RunGpgAsync(GnupgHome, "rpmsign", ["--addsign", "--define", "__gpg /usr/bin/gpg", "--define", $"_gpg_name {UserId}", .. made]);
        PublicKey = await RunGpgAsync(GnupgHome, "gpg", ["--batch", "--armor", "--export", UserId]);
        foreach (var rpm in made)
        {
            rpms[Path.GetFileName(rpm)] = rpm;
        }
    }

    /// <summary>The package <c>name-version-1.noarch.rpm</c> as a publish names it, with its real digest.</summary>
    public RepositoryPackage Package(string name, string version = "1.0")
    {
        var path = rpms[$"{name}-{version}-1.noarch.rpm"];
        return new RepositoryPackage(Path.GetFileName(path), path, Sha256Of(path));
    }

    /// <summary>sha256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path) => Sha256Hex.OfFileAsync(path).GetAwaiter().GetResult();

    /// <summary>The repomd.xml signer: gpg --detach-sign --armor with the repository key.</summary>
    public Task<string> SignAsync(byte[] data, CancellationToken cancellationToken) => DetachSignAsync(GnupgHome, data);

    /// <summary>A signer with a key nobody trusts.</summary>
    public Task<string> SignWithOtherKeyAsync(byte[] data, CancellationToken cancellationToken) => DetachSignAsync(OtherGnupgHome, data);

    /// <summary>Whether the served repomd.xml.asc is a good signature of repomd.xml by the repository key (gpg --verify).</summary>
    public async Task<bool> SignatureIsGoodAsync(string root)
    {
        var repodata = Path.Combine(root, "repodata");
        var (code, _, _) = await ProcessRunner.RunAsync("gpg", ["--batch", "--verify", Path.Combine(repodata, "repomd.xml.asc"), Path.Combine(repodata, "repomd.xml")],
            environment: new Dictionary<string, string?> { ["GNUPGHOME"] = GnupgHome });
        return code == 0;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var home in new[] { GnupgHome, OtherGnupgHome })
        {
            await ProcessRunner.RunAsync("gpgconf", ["--homedir", home, "--kill", "all"]);
        }

        dir.Dispose();
    }

    private async Task<string> DetachSignAsync(string home, byte[] data)
    {
        var input = dir[$"to-sign-{Guid.NewGuid():N}"];
        await File.WriteAllBytesAsync(input, data);
        try
        {
            return await RunGpgAsync(home, "gpg", ["--batch", "--yes", "--detach-sign", "--armor", "--output", "-", input]);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task MakeKeyAsync(string home, string userId)
    {
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await RunGpgAsync(home, "gpg", ["--batch", "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "never"]);
    }

    private static async Task<string> RunGpgAsync(string home, string file, string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(file, args, environment: new Dictionary<string, string?> { ["GNUPGHOME"] = home });
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {stderr}");
    }
}

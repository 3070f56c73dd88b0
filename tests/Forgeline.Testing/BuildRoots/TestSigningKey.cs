namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// A throwaway OpenPGP signing key (ed25519, no passphrase) in its own GNUPGHOME: signs RPMs with rpmsign and
/// repomd.xml with a detached armored signature, as a distribution's release key would.
/// </summary>
public sealed class TestSigningKey
{
    private TestSigningKey(string home, string userId, string publicKey)
    {
        Home = home;
        UserId = userId;
        PublicKey = publicKey;
    }

    /// <summary>Its GNUPGHOME.</summary>
    public string Home { get; }

    /// <summary>Its user id, e.g. <c>Test Distribution &lt;test@example.org&gt;</c>.</summary>
    public string UserId { get; }

    /// <summary>The public key, ASCII-armored, as a repository's <c>gpgkey=</c> serves it.</summary>
    public string PublicKey { get; }

    /// <summary>Makes a key for <paramref name="userId"/> in a new GNUPGHOME <paramref name="home"/>.</summary>
    public static async Task<TestSigningKey> CreateAsync(string home, string userId)
    {
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await RunAsync(home, "gpg", ["--batch", "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "never"]);
        var publicKey = await RunAsync(home, "gpg", ["--batch", "--armor", "--export", userId]);
        return new TestSigningKey(home, userId, publicKey);
    }

    /// <summary>Signs the headers of <paramref name="rpms"/> in place (rpmsign --addsign).</summary>
    public async Task SignRpmsAsync(IEnumerable<string> rpms)
    {
        // Debian's rpm has no working default %__gpg; without the define rpmsign fails to start gpg.
        await RunAsync(Home, "rpmsign", ["--addsign", "--define", "__gpg /usr/bin/gpg", "--define", $"_gpg_name {UserId}", .. rpms]);
    }

    /// <summary>The detached ASCII-armored signature of <paramref name="data"/>: a repomd.xml signer.</summary>
    public async Task<string> DetachSignAsync(byte[] data, CancellationToken cancellationToken)
    {
        var input = Path.Combine(Home, $"to-sign-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(input, data, cancellationToken);
        try
        {
            return await RunAsync(Home, "gpg", ["--batch", "--yes", "--detach-sign", "--armor", "--output", "-", input]);
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task<string> RunAsync(string home, string file, string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(file, args, environment: new Dictionary<string, string?> { ["GNUPGHOME"] = home });
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {stderr}");
    }
}

using Forgeline.Testing;

namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>A private GNUPGHOME in a temp directory; gpg runs with --homedir and --batch, and its agent is stopped on dispose.</summary>
public sealed class GnuPgHome : IDisposable
{
    private readonly TempDirectory _directory = new("forgeline-gpg");

    /// <summary>Creates the home (mode 0700, as gpg insists).</summary>
    public GnuPgHome()
    {
        Path = _directory["gnupg"];
        Directory.CreateDirectory(Path);
        System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The GNUPGHOME directory.</summary>
    public string Path { get; }

    /// <summary>A scratch file path next to the home.</summary>
    public string File(string name) => _directory[name];

    /// <summary>Runs gpg in this home.</summary>
    public Task<ToolResult> GpgAsync(params string[] args) =>
        Tools.RunAsync("gpg", ["--homedir", Path, "--batch", "--no-tty", .. args]);

    /// <summary>Imports an armored public or secret key; fails the test when gpg does.</summary>
    public async Task ImportAsync(string armoredKey)
    {
        string path = File($"import-{Guid.NewGuid():N}.asc");
        await System.IO.File.WriteAllTextAsync(path, armoredKey);
        ToolResult result = await GpgAsync("--import", path);
        result.ExitCode.ShouldBe(0, result.Output);
    }

    /// <summary>Runs gpg --verify on a detached signature.</summary>
    public Task<ToolResult> VerifyAsync(string signaturePath, string dataPath) => GpgAsync("--verify", signaturePath, dataPath);

    /// <summary>Environment that makes gpgme-based tools (skopeo) use this home.</summary>
    public Dictionary<string, string?> Environment => new() { ["GNUPGHOME"] = Path };

    /// <inheritdoc />
    public void Dispose()
    {
        // gpg starts an agent for secret-key operations; stop it by its home rather than leaving it running.
        ProcessRunner.RunAsync("gpgconf", ["--homedir", Path, "--kill", "all"], timeout: TimeSpan.FromSeconds(10))
            .GetAwaiter().GetResult();
        _directory.Dispose();
    }
}

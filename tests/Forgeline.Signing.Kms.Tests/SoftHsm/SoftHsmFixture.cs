using Forgeline.Testing;

namespace Forgeline.Signing.Kms.Tests.SoftHsm;

/// <summary>Debian's SoftHSM2 with a private configuration and token directory, and one initialised token.</summary>
public sealed class SoftHsmFixture : IAsyncLifetime
{
    public const string Library = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Token = "forgeline-test";
    public const string Pin = "1234";
    public const string SoPin = "5678";

    private readonly TempDirectory directory = new("forgeline-softhsm");

    public string ConfigPath => directory["softhsm2.conf"];

    public async Task InitializeAsync()
    {
        if (!File.Exists(Library))
        {
            throw new InvalidOperationException($"{Library} is missing: apt-get install -y softhsm2 opensc");
        }

        Directory.CreateDirectory(directory["tokens"]);
        await File.WriteAllTextAsync(ConfigPath, $"directories.tokendir = {directory["tokens"]}\nobjectstore.backend = file\nlog.level = ERROR\n");
        NativeEnvironment.Set("SOFTHSM2_CONF", ConfigPath);
        await SoftHsmUtil("--init-token", "--free", "--label", Token, "--pin", Pin, "--so-pin", SoPin);
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>pkcs11-tool's listing of the objects on the token, seen as the user.</summary>
    public async Task<string> ListObjectsAsync()
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(
            "pkcs11-tool", ["--module", Library, "--token-label", Token, "--login", "--pin", Pin, "--list-objects"], environment: Environment());
        code.ShouldBe(0, stderr);
        return stdout;
    }

    private Dictionary<string, string?> Environment() => new() { ["SOFTHSM2_CONF"] = ConfigPath };

    private async Task SoftHsmUtil(params string[] args)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("softhsm2-util", args, environment: Environment());
        if (code != 0)
        {
            throw new InvalidOperationException($"softhsm2-util {string.Join(' ', args)} exited {code}: {stdout}\n{stderr}");
        }
    }
}

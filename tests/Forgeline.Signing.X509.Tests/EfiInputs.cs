using Forgeline.Testing;
namespace Forgeline.Signing.X509.Tests;

/// <summary>
/// Real EFI binaries from Debian, fetched once per machine: systemd-bootx64.efi from systemd-boot-efi (unsigned, ~110 KB
/// package) and shimx64.efi.signed from shim-signed (signed by Microsoft's UEFI CA, ~350 KB package); and an RSA signing chain.
/// </summary>
public sealed class EfiInputs : IAsyncLifetime
{
    /// <summary>systemd-bootx64.efi, an unsigned EFI application.</summary>
    public string SystemdBoot { get; private set; } = "";

    /// <summary>shimx64.efi.signed, an EFI application already carrying Microsoft's signature.</summary>
    public string Shim { get; private set; } = "";

    /// <summary>A chain with an RSA-2048 leaf, the key type UEFI firmware verifies.</summary>
    public TestPki Rsa { get; } = new(X509Algorithm.Rsa2048, name: "EFI");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        SystemdBoot = DebianPackageCache.Find(await DebianPackageCache.GetAsync("systemd-boot-efi", "/systemd-bootx64.efi"), "/systemd-bootx64.efi");
        Shim = DebianPackageCache.Find(await DebianPackageCache.GetAsync("shim-signed", "/shimx64.efi.signed"), "/shimx64.efi.signed");
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Rsa.Dispose();
        return Task.CompletedTask;
    }
}

using Forgeline.Signing.OpenPgp;
using Forgeline.Testing;

namespace Forgeline.Signing.Tests;

/// <summary>A real source RPM made with rpmbuild, and its main header as a client sends it to the signer.</summary>
public sealed class RpmFixture : IAsyncLifetime
{
    private readonly TempDirectory dir = new("forgeline-signing-rpm");

    /// <summary>The package.</summary>
    public string Package { get; private set; } = "";

    /// <summary>Its main header.</summary>
    public byte[] Header { get; private set; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Package = await TestPackages.MakeSrpmAsync(dir.Path, "signme");
        await using var file = File.OpenRead(Package);
        Header = RpmSignatureApplier.ReadHeaderForSigning(file);
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        dir.Dispose();
        return Task.CompletedTask;
    }
}

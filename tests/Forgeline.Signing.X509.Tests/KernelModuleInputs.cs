using Forgeline.Testing;
namespace Forgeline.Signing.X509.Tests;

/// <summary>
/// Real kernel modules signed by Debian, from the current linux-image-*-cloud-amd64 package (the smallest Debian kernel
/// package with modules, about 27 MB, fetched once per machine), and the kernel's own sign-file from linux-kbuild-*.
/// Also the signing chains the tests use (RSA and ECDSA leaves).
/// </summary>
public sealed class KernelModuleInputs : IAsyncLifetime
{
    private static readonly string[] ModuleNames = ["/kernel/lib/crc7.ko", "/kernel/fs/fat/vfat.ko"];
    private readonly Forgeline.Testing.TempDirectory _work = new("forgeline-kernel-modules");

    /// <summary>crc7.ko: a small module (~6 KB).</summary>
    public string SmallModule { get; private set; } = "";

    /// <summary>vfat.ko: a filesystem module (~40 KB).</summary>
    public string FilesystemModule { get; private set; } = "";

    /// <summary>The kernel's scripts/sign-file, built for this Debian release.</summary>
    public string SignFile { get; private set; } = "";

    /// <summary>A chain with an RSA-2048 leaf.</summary>
    public TestPki Rsa { get; } = new(X509Algorithm.Rsa2048, name: "Kernel RSA");

    /// <summary>A chain with an ECDSA P-256 leaf.</summary>
    public TestPki Ecdsa { get; } = new(X509Algorithm.EcdsaP256, X509Algorithm.EcdsaP256, name: "Kernel ECDSA");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var kernel = await DebianPackageCache.DependencyAsync("linux-image-cloud-amd64", "linux-image-");
        var headers = kernel.Replace("linux-image-", "linux-headers-", StringComparison.Ordinal);
        var kbuild = await DebianPackageCache.DependencyAsync(headers, "linux-kbuild-");

        // Newer Debian kernels ship .ko.xz; the kernel verifies the decompressed module, so tests use the .ko.
        var modules = await DebianPackageCache.GetAsync(kernel, [.. ModuleNames, .. ModuleNames.Select(m => m + ".xz")]);
        SmallModule = await DecompressedAsync(modules, ModuleNames[0]);
        FilesystemModule = await DecompressedAsync(modules, ModuleNames[1]);
        SignFile = DebianPackageCache.Find(await DebianPackageCache.GetAsync(kbuild, "/scripts/sign-file"), "/scripts/sign-file");
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _work.Dispose();
        Rsa.Dispose();
        Ecdsa.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> DecompressedAsync(string directory, string name)
    {
        var file = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .FirstOrDefault(f => f.EndsWith(name, StringComparison.Ordinal) || f.EndsWith(name + ".xz", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the kernel package has no {name}");
        if (file.EndsWith(".xz", StringComparison.Ordinal))
        {
            var copy = _work[Path.GetFileName(file)];
            File.Copy(file, copy);
            await Tool.RunOkAsync("xz", "-d", copy);
            file = copy[..^3];
        }

        return file;
    }
}

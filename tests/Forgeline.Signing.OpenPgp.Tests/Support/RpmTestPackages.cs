using Forgeline.Testing;

namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>A real binary and a real source RPM built with rpmbuild once per test collection, plus helpers to run rpm on them.</summary>
public sealed class RpmTestPackages : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new("forgeline-openpgp-rpm");

    /// <summary>Package kinds, for theories.</summary>
    public const string Binary = "binary";

    /// <summary>Source package kind.</summary>
    public const string Source = "source";

    /// <summary>The binary package (noarch).</summary>
    public string BinaryPath { get; private set; } = string.Empty;

    /// <summary>The source package.</summary>
    public string SourcePath { get; private set; } = string.Empty;

    /// <summary>Path of the package of <paramref name="kind"/>.</summary>
    public string PathOf(string kind) => kind == Binary ? BinaryPath : SourcePath;

    /// <summary>A fresh path for a file a test writes.</summary>
    public string NewPath(string name) => _directory[$"{Guid.NewGuid():N}-{name}"];

    /// <summary>A fresh rpm database directory with the given armored public keys imported.</summary>
    public async Task<string> KeyringAsync(params string[] armoredKeys)
    {
        string db = NewPath("rpmdb");
        Directory.CreateDirectory(db);
        foreach (string key in armoredKeys)
        {
            string file = NewPath("key.asc");
            await File.WriteAllTextAsync(file, key);
            await Tools.RunCheckedAsync("rpmkeys", "--dbpath", db, "--import", file);
        }

        return db;
    }

    /// <summary>Builds both packages.</summary>
    public async Task InitializeAsync()
    {
        SourcePath = await TestPackages.MakeSrpmAsync(_directory.Path, "fl-openpgp-src", "2.0");
        string spec = TestPackages.WriteSpecDirectory(_directory["specs"], "fl-openpgp-bin", "1.5");
        string output = _directory["rpms"];
        await Tools.RunCheckedAsync(
            "rpmbuild", "-bb", "--nodeps", "--quiet", "--define", $"_topdir {_directory["rpmbuild"]}", "--define", $"_sourcedir {spec}",
            "--define", $"_rpmdir {output}", "--define", "_buildhost forgeline-test", Path.Combine(spec, "fl-openpgp-bin.spec"));
        BinaryPath = Directory.GetFiles(output, "*.rpm", SearchOption.AllDirectories).Single();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _directory.Dispose();
}

using Forgeline.Testing;

namespace Forgeline.Builds.Tests;

/// <summary>A real source RPM and binary RPM, made once with rpmbuild for the tests of a class.</summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    private readonly TempDirectory dir = new("forgeline-packages");

    /// <summary>hello-1.0-1.src.rpm.</summary>
    public string Srpm { get; private set; } = "";

    /// <summary>hello-1.0-1.noarch.rpm.</summary>
    public string Rpm { get; private set; } = "";

    /// <summary>A directory with a spec and its source.</summary>
    public string SpecDirectory { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Srpm = await TestPackages.MakeSrpmAsync(dir.Path, "hello");
        SpecDirectory = TestPackages.WriteSpecDirectory(dir["tree"], "hello");
        await ProcessRunner.RunCheckedAsync("rpmbuild", "--rebuild", "--nodeps", "--define", $"_topdir {dir["top"]}", "--define", $"_tmppath {dir.Path}", Srpm);
        Rpm = Directory.GetFiles(dir["top"], "*.noarch.rpm", SearchOption.AllDirectories).Single();
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        dir.Dispose();
        return Task.CompletedTask;
    }
}

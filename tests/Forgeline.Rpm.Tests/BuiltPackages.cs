namespace Forgeline.Rpm.Tests;

/// <summary>Real packages built once per test run with rpmbuild from two tiny specs.</summary>
public sealed class BuiltPackages : IDisposable
{
    private const string EpochSpec = """
        Name: fl-epoch
        Epoch: 2
        Version: 1.2.3
        Release: 4
        Summary: Forgeline test package with an epoch
        License: MIT
        Provides: forgeline-test = 1.2.3

        %description
        A tiny arch-specific package.

        %install
        mkdir -p %{buildroot}/usr/share/fl-epoch
        echo hello > %{buildroot}/usr/share/fl-epoch/hello.txt

        %files
        /usr/share/fl-epoch/hello.txt
        """;

    private const string PlainSpec = """
        Name: fl-plain
        Version: 0.9~rc1
        Release: 1.fl
        Summary: Forgeline noarch test package
        License: MIT
        BuildArch: noarch

        %description
        A tiny noarch package without an epoch.

        %install
        mkdir -p %{buildroot}/usr/share/fl-plain
        echo plain > %{buildroot}/usr/share/fl-plain/readme

        %files
        /usr/share/fl-plain/readme
        """;

    private readonly Dictionary<string, string> _paths = [];

    /// <summary>Builds all packages into a fresh temporary directory.</summary>
    public BuiltPackages()
    {
        Root = Directory.CreateTempSubdirectory("forgeline-rpm-tests-").FullName;
        string epochSpec = Path.Combine(Root, "fl-epoch.spec");
        string plainSpec = Path.Combine(Root, "fl-plain.spec");
        Directory.CreateDirectory(Path.Combine(Root, "out"));
        File.WriteAllText(epochSpec, EpochSpec + "\n");
        File.WriteAllText(plainSpec, PlainSpec + "\n");
        RpmCli.RunChecked(
            "rpmbuild", "-ba", "--nodeps", "--quiet",
            "--define", $"_topdir {Root}",
            "--define", $"_tmppath {Root}/tmp",
            epochSpec, plainSpec);

        _paths["epoch-binary"] = Single("RPMS", "fl-epoch-*.rpm");
        _paths["epoch-source"] = Single("SRPMS", "fl-epoch-*.src.rpm");
        _paths["plain-binary"] = Single("RPMS", "fl-plain-*.noarch.rpm");
        _paths["plain-source"] = Single("SRPMS", "fl-plain-*.src.rpm");
    }

    /// <summary>Keys accepted by <see cref="PathOf"/>.</summary>
    public static TheoryData<string> Keys => new("epoch-binary", "epoch-source", "plain-binary", "plain-source");

    /// <summary>The temporary directory holding specs and build output.</summary>
    public string Root { get; }

    /// <summary>The file path of the package named by <paramref name="key"/>.</summary>
    public string PathOf(string key) => _paths[key];

    /// <summary>Reads the package named by <paramref name="key"/> from disk.</summary>
    public RpmPackage Read(string key)
    {
        using FileStream stream = File.OpenRead(PathOf(key));
        return RpmPackage.Read(stream);
    }

    /// <summary>A fresh path under <see cref="Root"/> for a package a test writes.</summary>
    public string NewOutputPath(string name) => Path.Combine(Root, "out", $"{Guid.NewGuid():N}-{name}.rpm");

    /// <summary>Deletes the temporary directory.</summary>
    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string Single(string folder, string pattern) =>
        Directory.GetFiles(Path.Combine(Root, folder), pattern, SearchOption.AllDirectories).Single();
}

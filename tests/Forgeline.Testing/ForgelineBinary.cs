namespace Forgeline.Testing;

/// <summary>Finds the built <c>forgeline</c> executable of this checkout, so tests run it as users do.</summary>
public static class ForgelineBinary
{
    /// <summary>The repository root (where Forgeline.slnx is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Path of forgeline.dll built in the same configuration as the tests.</summary>
    public static string DllPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryRoot, "src", "Forgeline", "bin", configuration, "net10.0", "forgeline.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build forgeline first: {path} is missing");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Forgeline.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Forgeline.slnx above the test binaries");
    }
}

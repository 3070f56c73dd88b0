namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// The host's rpmbuild, set up for fast test packages: gzip level 1 payloads, no brp scripts, no debuginfo, RPMs written
/// flat into one directory. BuildRequires are not checked: the host is not the target.
/// </summary>
public static class HostRpmbuild
{
    /// <summary>Builds the binary RPMs of <paramref name="specPath"/> into <paramref name="rpmDirectory"/>; returns their paths.</summary>
    public static Task<IReadOnlyList<string>> BuildBinaryAsync(string specPath, string rpmDirectory, string? sourceDirectory = null) =>
        RunAsync("-bb", specPath, rpmDirectory, sourceDirectory);

    /// <summary>Builds the source RPM of <paramref name="specPath"/> into <paramref name="srpmDirectory"/>; returns its path.</summary>
    public static async Task<string> BuildSourceAsync(string specPath, string srpmDirectory, string? sourceDirectory = null) =>
        (await RunAsync("-bs", specPath, srpmDirectory, sourceDirectory)).Single();

    private static async Task<IReadOnlyList<string>> RunAsync(string mode, string specPath, string outputDirectory, string? sourceDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var top = Path.Combine(outputDirectory, $".rpmbuild-{Guid.NewGuid():N}");
        try
        {
            var (code, stdout, stderr) = await ProcessRunner.RunAsync("rpmbuild",
            [
                mode, "--nodeps",
                "--define", $"_topdir {top}",
                "--define", $"_sourcedir {sourceDirectory ?? Path.Combine(top, "SOURCES")}",
                "--define", $"_rpmdir {outputDirectory}",
                "--define", $"_srcrpmdir {outputDirectory}",
                "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
                "--define", "_binary_payload w1.gzdio",
                "--define", "__os_install_post %{nil}",
                "--define", "debug_package %{nil}",
                "--define", "_buildhost forgeline-test",
                specPath,
            ], timeout: TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                throw new InvalidOperationException($"rpmbuild {mode} {specPath} exited {code}: {stdout}\n{stderr}");
            }

            // rpmbuild names what it made in "Wrote: PATH" lines; that is the only reliable list (a spec may make subpackages).
            return stdout.Split('\n')
                .Where(l => l.StartsWith("Wrote: ", StringComparison.Ordinal))
                .Select(l => l["Wrote: ".Length..].Trim())
                .ToList();
        }
        finally
        {
            if (Directory.Exists(top))
            {
                Directory.Delete(top, recursive: true);
            }
        }
    }
}

using Forgeline.Testing;

namespace Forgeline.Testing;

/// <summary>
/// Real Debian packages as test inputs, fetched with <c>apt-get download</c> and unpacked with <c>dpkg -x</c> once per machine.
/// Only the files a test needs are kept, under $XDG_CACHE_HOME/forgeline-test-inputs (or ~/.cache/…), outside the repository.
/// </summary>
public static class DebianPackageCache
{
    /// <summary>The cache directory.</summary>
    public static string Root
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            return Path.Combine(cache, "forgeline-test-inputs");
        }
    }

    /// <summary>The first package that <paramref name="package"/> depends on whose name starts with <paramref name="prefix"/>.</summary>
    public static async Task<string> DependencyAsync(string package, string prefix)
    {
        var output = await Apt("apt-cache", "depends", package);
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Depends: " + prefix, StringComparison.Ordinal))
            {
                return trimmed["Depends: ".Length..];
            }
        }

        throw new InvalidOperationException($"{package} depends on no {prefix}* package:\n{output}");
    }

    /// <summary>
    /// The directory holding the files of <paramref name="package"/> (current candidate version) whose paths end with one of
    /// <paramref name="suffixes"/>, downloading and unpacking it the first time.
    /// </summary>
    public static async Task<string> GetAsync(string package, params string[] suffixes)
    {
        var show = await Apt("apt-cache", "show", "--no-all-versions", package);
        var version = show.Split('\n').First(l => l.StartsWith("Version: ", StringComparison.Ordinal))["Version: ".Length..].Trim();
        // One directory per set of files asked for: a caller that wants fewer files must not leave a "complete" directory
        // that lacks another caller's (a second module of the same kernel package).
        var wanted = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', suffixes.Order(StringComparer.Ordinal)))))[..12];
        var target = Path.Combine(Root, $"{package}_{version.Replace(':', '_')}_{wanted}");
        if (File.Exists(Path.Combine(target, ".complete")))
        {
            return target;
        }

        Directory.CreateDirectory(Root);
        using var work = new TempDirectory("forgeline-deb");
        await Apt("apt-get", "download", $"{package}={version}", workingDirectory: work.Path);
        var deb = Directory.GetFiles(work.Path, "*.deb").Single();
        var unpacked = work["root"];
        await Apt("dpkg", "-x", deb, unpacked);

        var staging = Path.Combine(Root, $".staging-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(unpacked, "*", SearchOption.AllDirectories))
        {
            if (suffixes.Any(s => file.EndsWith(s, StringComparison.Ordinal)))
            {
                var copy = Path.Combine(staging, Path.GetRelativePath(unpacked, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        if (!Directory.Exists(staging))
        {
            throw new InvalidOperationException($"{package} {version} has no file ending with {string.Join(" or ", suffixes)}");
        }

        await File.WriteAllTextAsync(Path.Combine(staging, ".complete"), $"{package} {version} from {Path.GetFileName(deb)} ({new FileInfo(deb).Length} bytes)\n");
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, ".complete")))
        {
            Directory.Delete(staging, recursive: true); // another test run got there first
        }

        return target;
    }

    /// <summary>The first file (by path) under <paramref name="directory"/> whose path ends with <paramref name="suffix"/>.</summary>
    public static string Find(string directory, string suffix) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault(f => f.EndsWith(suffix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no file ending with {suffix} under {directory}");

    private static async Task<string> Apt(string tool, string arg1, string arg2, string? arg3 = null, string? workingDirectory = null)
    {
        string[] args = arg3 is null ? [arg1, arg2] : [arg1, arg2, arg3];
        var (code, stdout, stderr) = await ProcessRunner.RunAsync(tool, args, workingDirectory, timeout: TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', args)} exited {code}: {stderr}\nThese tests fetch real Debian packages: the machine needs apt with Debian's main archive in its sources and an up-to-date index (apt-get update).");
        }

        return stdout;
    }
}

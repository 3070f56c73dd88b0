using Forgeline.Core.Images;
using Forgeline.Core.Sources;
using Forgeline.Core.Workers;
using Forgeline.Rpm;

namespace Forgeline.Builds.Artifacts;

/// <summary>Checks that an uploaded file is what it claims to be before it enters the store.</summary>
public static class UploadInspector
{
    /// <summary>The kinds of upload a build can start from.</summary>
    public static readonly IReadOnlySet<string> SourceKinds = new HashSet<string>(StringComparer.Ordinal) { "srpm", "directory", ImageJobSpec.UploadKind };

    /// <summary>The kinds of artifact a worker may upload: packages, and the package list of the root a build ran in.</summary>
    public static readonly IReadOnlySet<string> ArtifactKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "rpm", "srpm", JobRootReport.PackagesArtifactKind, ImageArtifacts.Image, ImageArtifacts.Disk, ImageArtifacts.Screenshot, ImageArtifacts.JUnit,
    };

    /// <summary>The largest root package list accepted (a root of a few thousand packages takes a fraction of it).</summary>
    public const long MaxRootPackagesBytes = 2 * 1024 * 1024;

    /// <summary>Null when <paramref name="path"/> holds a valid file of <paramref name="kind"/>, else what is wrong with it.</summary>
    public static string? FindProblem(string kind, string path)
    {
        using var file = File.OpenRead(path);
        switch (kind)
        {
            case "directory":
                return SourceArchive.FindProblem(file);
            case ImageJobSpec.UploadKind:
                if (file.Length > ImageJobSpec.MaxBytes)
                {
                    return $"an image job spec may be at most {ImageJobSpec.MaxBytes / 1024} KiB";
                }

                using (var buffer = new MemoryStream())
                {
                    file.CopyTo(buffer);
                    return ImageJobSpec.Parse(buffer.ToArray(), out var problem) is null ? problem : null;
                }

            case "srpm" or "rpm":
                try
                {
                    var package = RpmPackage.Read(file);
                    return (kind, package.IsSource) switch
                    {
                        ("srpm", false) => $"{package.Nevra} is a binary RPM, not a source RPM; build from its .src.rpm",
                        ("rpm", true) => $"{package.Nevra} is a source RPM, not a binary RPM",
                        _ => null,
                    };
                }
                catch (RpmFormatException e)
                {
                    return e.Message;
                }

            case JobRootReport.PackagesArtifactKind:
                return RootPackagesProblem(file);
            case ImageArtifacts.Image or ImageArtifacts.Disk or ImageArtifacts.Screenshot or ImageArtifacts.JUnit:
                return ImageArtifacts.ContentProblem(kind, file);
            default:
                return $"unknown kind '{kind}'";
        }
    }

    // UTF-8 text, one name-[epoch:]version-release.arch per line, nothing else: it is shown to people and compared by digest.
    private static string? RootPackagesProblem(Stream file)
    {
        if (file.Length > MaxRootPackagesBytes)
        {
            return $"a root package list may be at most {MaxRootPackagesBytes / (1024 * 1024)} MiB";
        }

        string text;
        try
        {
            using var reader = new StreamReader(file, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            text = reader.ReadToEnd();
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "a root package list must be UTF-8 text";
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break; // the final newline
            }

            if (!IsNevra(line))
            {
                var shown = line.Length > 80 ? line[..80] + "…" : line;
                return $"line {i + 1} of the root package list is not a package name-[epoch:]version-release.arch: '{shown}'";
            }
        }

        return null;
    }

    private static bool IsNevra(string line)
    {
        if (line.Length is 0 or > 512 || line.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        // name-version-release.arch: two dashes at least, and a dot after the last one (the arch).
        var last = line.LastIndexOf('-');
        var previous = last > 0 ? line.LastIndexOf('-', last - 1) : -1;
        var dot = line.LastIndexOf('.');
        return previous > 0 && last > previous + 1 && dot > last + 1 && dot < line.Length - 1;
    }

    /// <summary>name-version-release of an RPM, or null when it cannot be read.</summary>
    public static string? PackageOf(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var package = RpmPackage.Read(file);
            return $"{package.Name}-{package.Version}-{package.Release}";
        }
        catch (RpmFormatException)
        {
            return null;
        }
    }

    /// <summary>Null when <paramref name="name"/> is a plain file name fit for <paramref name="kind"/>.</summary>
    public static string? FileNameProblem(string name, string kind)
    {
        if (name.Length is 0 or > 255 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) ||
            name.StartsWith('.') || name.Contains('\0', StringComparison.Ordinal))
        {
            return $"'{name}' is not a plain file name";
        }

        return kind switch
        {
            "srpm" when !name.EndsWith(".src.rpm", StringComparison.Ordinal) => $"'{name}' must end in .src.rpm",
            "rpm" when !name.EndsWith(".rpm", StringComparison.Ordinal) || name.EndsWith(".src.rpm", StringComparison.Ordinal) => $"'{name}' must end in .<arch>.rpm",
            JobRootReport.PackagesArtifactKind when name != JobRootReport.PackagesArtifactName => $"a root package list is named {JobRootReport.PackagesArtifactName}, not '{name}'",
            ImageArtifacts.Image or ImageArtifacts.Disk or ImageArtifacts.Screenshot or ImageArtifacts.JUnit => ImageArtifacts.NameProblem(kind, name),
            _ => null,
        };
    }
}

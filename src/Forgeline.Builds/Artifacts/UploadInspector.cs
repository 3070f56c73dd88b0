using Forgeline.Core.Sources;
using Forgeline.Rpm;

namespace Forgeline.Builds.Artifacts;

/// <summary>Checks that an uploaded file is what it claims to be before it enters the store.</summary>
public static class UploadInspector
{
    /// <summary>The kinds of upload a build can start from.</summary>
    public static readonly IReadOnlySet<string> SourceKinds = new HashSet<string>(StringComparer.Ordinal) { "srpm", "directory" };

    /// <summary>The kinds of artifact a worker may upload.</summary>
    public static readonly IReadOnlySet<string> ArtifactKinds = new HashSet<string>(StringComparer.Ordinal) { "rpm", "srpm" };

    /// <summary>Null when <paramref name="path"/> holds a valid file of <paramref name="kind"/>, else what is wrong with it.</summary>
    public static string? FindProblem(string kind, string path)
    {
        using var file = File.OpenRead(path);
        switch (kind)
        {
            case "directory":
                return SourceArchive.FindProblem(file);
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

            default:
                return $"unknown kind '{kind}'";
        }
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
            _ => null,
        };
    }
}

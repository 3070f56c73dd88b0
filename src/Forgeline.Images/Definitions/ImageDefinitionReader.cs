using Forgeline.Core;
using Forgeline.Core.Targets;

namespace Forgeline.Images.Definitions;

/// <summary>Reads an image definition from YAML and checks it; every problem is an <see cref="ImageDefinitionException"/> naming what is wrong.</summary>
public static class ImageDefinitionReader
{
    /// <summary>The formats an image can be built in.</summary>
    public static readonly IReadOnlyList<string> Formats = ["qcow2", "raw", "rootfs", "iso"];

    /// <summary>Parses and checks <paramref name="yaml"/>; <paramref name="source"/> names it in messages (a file name).</summary>
    public static ImageDefinition Read(string yaml, string source) =>
        YamlDocument.Read<ImageDefinition>(yaml, source, "an image needs at least a name, repositories and packages", FindProblem, m => new ImageDefinitionException(m));

    /// <summary>
    /// <paramref name="yaml"/> with every repository key given as a path (next to the definition, in
    /// <paramref name="directory"/>) replaced by the armored key it holds, as the server takes it; unchanged when none is.
    /// </summary>
    public static string InlineKeys(string yaml, string source, string directory)
    {
        // Keys are checked once they are inlined: before, a path is where the armored key is expected.
        var image = YamlDocument.Read<ImageDefinition>(yaml, source, "an image needs at least a name, repositories and packages", _ => null, m => new ImageDefinitionException(m));
        var changed = false;
        foreach (var repository in image.Repositories.Where(r => r.GpgKey is { } key && !key.Contains("-----BEGIN PGP", StringComparison.Ordinal)))
        {
            var path = Path.GetFullPath(repository.GpgKey!, directory);
            repository.GpgKey = File.Exists(path) ? File.ReadAllText(path) : throw new ImageDefinitionException($"{source}: gpg_key {repository.GpgKey}: there is no such file next to the definition");
            changed = true;
        }

        var inlined = changed ? YamlDocument.Write(image) : yaml;
        Read(inlined, source);
        return inlined;
    }

    /// <summary>What is wrong with <paramref name="image"/>, in words, or null.</summary>
    public static string? FindProblem(ImageDefinition image)
    {
        if (!ResourceName.IsValid(image.Name))
        {
            return $"name '{image.Name}' is not an image name: {ResourceName.Rule}";
        }

        if (image.Repositories.Count == 0)
        {
            return "an image needs repositories to install from (a url with its gpg_key, or a Forgeline project)";
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var repository in image.Repositories)
        {
            if (RepositoryProblem(repository, ids) is { } problem)
            {
                return problem;
            }
        }

        if (image.Packages.Count == 0)
        {
            return "an image needs packages to install, e.g. [bash, coreutils, kernel]";
        }

        if (image.Packages.FirstOrDefault(p => p.Length is 0 or > 128 || p.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || p.StartsWith('-')) is { } package)
        {
            return $"package '{package}' is not a package or group name (no spaces; groups start with @)";
        }

        if (image.Formats.Count == 0 || image.Formats.Any(f => !Formats.Contains(f)))
        {
            return $"formats must be some of {string.Join(", ", Formats)}, not [{string.Join(", ", image.Formats)}]";
        }

        if (image.Users.FirstOrDefault(u => !IsUserName(u.Name)) is { } user)
        {
            return $"user '{user.Name}' is not a login name (1-32 lowercase letters, digits, '_' or '-', starting with a letter or '_')";
        }

        if (image.Users.FirstOrDefault(u => u.PasswordHash is { } hash && (!hash.StartsWith('$') || hash.Any(c => c is ':' or '\n'))) is { } hashed)
        {
            return $"user '{hashed.Name}': password_hash must be a crypt(3) hash such as $6$…, never a password";
        }

        if (image.Files.Keys.FirstOrDefault(p => !p.StartsWith('/') || p.Split('/').Contains("..") || p.Any(char.IsControl)) is { } path)
        {
            return $"file '{path}' must be an absolute path inside the image without '..'";
        }

        if (image.DiskSizeMb is < 64 or > 1024 * 1024)
        {
            return $"disk_size_mb is 64–1048576, not {image.DiskSizeMb}";
        }

        if (image.Kernel.Package.Length == 0 || image.Kernel.Cmdline.Any(char.IsControl))
        {
            return "kernel needs a package, and its cmdline is one line";
        }

        return null;
    }

    private static string? RepositoryProblem(ImageRepository repository, HashSet<string> ids)
    {
        if ((repository.Url is null) == (repository.Project is null))
        {
            return "each repository has either a url or a project, not both";
        }

        var id = repository.Id ?? repository.Project ?? "";
        if (repository.Project is { } project && !ResourceName.IsValid(project))
        {
            return $"project '{project}' is not a project name: {ResourceName.Rule}";
        }

        if (repository.Url is { } url && TargetRules.RepositoryProblem(new TargetRepository(id, url, repository.GpgKey)) is { } problem)
        {
            return problem;
        }

        return ids.Add(id) ? null : $"repository id '{id}' is given twice; each repository needs an id of its own";
    }

    private static bool IsUserName(string name) =>
        name is { Length: >= 1 and <= 32 } && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}

/// <summary>An image definition that cannot be used, and why (with the file and, for YAML errors, the line).</summary>
public sealed class ImageDefinitionException(string message) : Exception(message);

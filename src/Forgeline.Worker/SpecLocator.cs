namespace Forgeline.Worker;

/// <summary>Finds the spec file in unpacked sources: the one the user named, or the only one at the top.</summary>
public static class SpecLocator
{
    /// <summary>
    /// The spec's full path under <paramref name="sourceDirectory"/>, or the problem for people when there is none,
    /// several, or the named one is missing, outside the sources or a symlink.
    /// </summary>
    /// <param name="sourceDirectory">The unpacked sources (host path).</param>
    /// <param name="specPath">The spec the user named, relative to the sources; null or empty to look at the top.</param>
    public static (string? Path, string? Problem) Find(string sourceDirectory, string? specPath)
    {
        var src = System.IO.Path.GetFullPath(sourceDirectory).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        if (specPath is { Length: > 0 } given)
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(src, given));
            if (!path.StartsWith(src + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                return (null, $"spec file '{given}' is not in the sources");
            }

            return (path, null);
        }

        var specs = Directory.GetFiles(src, "*.spec").Where(p => new FileInfo(p).LinkTarget is null).Order(StringComparer.Ordinal).ToArray();
        return specs.Length switch
        {
            1 => (specs[0], null),
            0 => (null, "no .spec file at the top of the sources; name one with --spec"),
            _ => (null, $"several .spec files at the top of the sources ({string.Join(", ", specs.Select(System.IO.Path.GetFileName))}); choose one with --spec"),
        };
    }
}

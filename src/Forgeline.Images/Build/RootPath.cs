namespace Forgeline.Images.Build;

/// <summary>
/// Paths inside an image root as the image sees them: symbolic links are followed as if the root were <c>/</c>, so a
/// link in a package (<c>/etc/passwd -> /etc/host-passwd</c>) never leads a write outside the root.
/// </summary>
public static class RootPath
{
    /// <summary>The host path of <paramref name="imagePath"/> (absolute, inside the image) under <paramref name="root"/>.</summary>
    public static string Resolve(string root, string imagePath)
    {
        if (!imagePath.StartsWith('/'))
        {
            throw new ImageBuildException($"'{imagePath}' is not an absolute path in the image: file paths start with /");
        }

        var parts = new List<string>();
        var pending = new Stack<string>(imagePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            var host = Path.Combine(root, Path.Combine([.. parts, part]));
            var info = new FileInfo(host);
            if (info.Exists || Directory.Exists(host))
            {
                var target = info.LinkTarget ?? new DirectoryInfo(host).LinkTarget;
                if (target is not null)
                {
                    if (++hops > 40)
                    {
                        throw new ImageBuildException($"too many symbolic links in {imagePath} in the image");
                    }

                    if (target.StartsWith('/'))
                    {
                        parts.Clear();
                    }

                    foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    {
                        pending.Push(next);
                    }

                    continue;
                }
            }

            parts.Add(part);
        }

        return Path.Combine(root, Path.Combine([.. parts]));
    }
}

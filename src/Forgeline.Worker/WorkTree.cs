namespace Forgeline.Worker;

/// <summary>Removing what builds leave in the work directory, even where their sources made directories read-only.</summary>
public static class WorkTree
{
    /// <summary>The prefix of an attempt's work directory (<c>build-{id}-{attempt}-…</c>).</summary>
    public const string AttemptPrefix = "build-";

    /// <summary>Removes <paramref name="path"/> and everything in it; true when it is gone.</summary>
    public static bool Remove(string path)
    {
        if (!Directory.Exists(path))
        {
            return true;
        }

        try
        {
            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        try
        {
            // Top-down, so each directory is writable and readable before its entries are listed.
            var pending = new Stack<string>([path]);
            while (pending.TryPop(out var dir))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => new DirectoryInfo(d).LinkTarget is null))
                {
                    pending.Push(sub);
                }
            }

            Directory.Delete(path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the attempts' work directories in <paramref name="workDirectory"/>: at a worker's start it holds no
    /// attempt, so whatever is there was left by an earlier process that was killed. Returns how many went, and the
    /// ones that could not be removed.
    /// </summary>
    public static (int Removed, IReadOnlyList<string> Left) RemoveLeftovers(string workDirectory)
    {
        if (!Directory.Exists(workDirectory))
        {
            return (0, []);
        }

        var removed = 0;
        var left = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(workDirectory, AttemptPrefix + "*"))
        {
            if (Remove(dir))
            {
                removed++;
            }
            else
            {
                left.Add(dir);
            }
        }

        return (removed, left);
    }
}

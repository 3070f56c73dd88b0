namespace Forgeline.Testing;

/// <summary>
/// A work directory of this test process that outlives a single test (a built distribution): <c>TEMP/PREFIX{pid}-{guid}</c>,
/// removed when the process exits. Making one first removes those of test processes that are gone (killed, or exited
/// before the removal ran), so at most the running ones are left behind.
/// </summary>
public static class ProcessScratch
{
    /// <summary>Makes a fresh directory named with <paramref name="prefix"/> and this process's id.</summary>
    public static string Create(string prefix)
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), $"{prefix}*"))
        {
            var pid = Path.GetFileName(stale)[prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}"))
            {
                Remove(stale);
            }
        }

        var work = Path.Combine(Path.GetTempPath(), $"{prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(work);
        return work;
    }

    // No child process here (gpgconf --kill): starting one while the runtime shuts down can hang the test host until
    // the runner kills it. gpg-agent ends by itself once its socket in the removed GNUPGHOME is gone.
    private static void Remove(string work)
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Runtime.InteropServices;

namespace Forgeline.Images.Build;

/// <summary>link(2): a second name for a file on the same file system, without copying it.</summary>
internal static partial class HardLink
{
    /// <summary>Makes <paramref name="link"/> a name of <paramref name="existing"/>; null when done, else why not (another file system, say).</summary>
    public static string? Create(string existing, string link)
    {
        if (File.Exists(link))
        {
            File.Delete(link);
        }

        return Link(existing, link) == 0 ? null : $"link(2) failed with errno {Marshal.GetLastPInvokeError()}";
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}

using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Forgeline.Repositories;

/// <summary>
/// The few system calls the publisher needs that .NET does not offer: hard links, rename(2) of a symlink over a symlink,
/// fsync of a directory, syncfs(2) and realpath(3).
/// </summary>
internal static class LinuxFiles
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000;
    private const int CloseOnExec = 0x80000;
    private const int CurrentDirectory = -100;
    private const int FollowSymlinks = 0x400;

    /// <summary>
    /// Makes <paramref name="link"/> a hard link to the file <paramref name="existing"/> names (following a symlink, unlike
    /// link(2)); false when the file system refuses (another device, say).
    /// </summary>
    public static bool TryLink(string existing, string link) =>
        NativeMethods.LinkAt(CurrentDirectory, Utf8(existing), CurrentDirectory, Utf8(link), FollowSymlinks) == 0;

    /// <summary>rename(2): replaces <paramref name="target"/> (a file or symlink) by <paramref name="source"/> in one atomic step.</summary>
    public static void Rename(string source, string target)
    {
        if (NativeMethods.Rename(Utf8(source), Utf8(target)) != 0)
        {
            var error = new Win32Exception(Marshal.GetLastPInvokeError());
            throw new IOException($"renaming {source} to {target} failed: {error.Message}", error);
        }
    }

    /// <summary>fsync(2) of a directory, so the names created in it survive a power loss.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = NativeMethods.Open(Utf8(path), ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            var error = new Win32Exception(Marshal.GetLastPInvokeError());
            throw new IOException($"opening directory {path} to sync it failed: {error.Message}", error);
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                var error = new Win32Exception(Marshal.GetLastPInvokeError());
                throw new IOException($"syncing directory {path} failed: {error.Message}", error);
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// syncfs(2) of the file system holding <paramref name="path"/>: every file and name written so far is on disk when it
    /// returns. One call instead of an fsync per file and directory, each of which would wait for its own journal commit.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        var fd = NativeMethods.Open(Utf8(path), ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            var error = new Win32Exception(Marshal.GetLastPInvokeError());
            throw new IOException($"opening directory {path} to sync its file system failed: {error.Message}", error);
        }

        try
        {
            if (NativeMethods.SyncFs(fd) != 0)
            {
                var error = new Win32Exception(Marshal.GetLastPInvokeError());
                throw new IOException($"syncing the file system of {path} failed: {error.Message}", error);
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>realpath(3): the absolute path with every symlink resolved; null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = NativeMethods.RealPath(Utf8(path), IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeMethods.Free(resolved);
        }
    }

    private static byte[] Utf8(string path) => Encoding.UTF8.GetBytes(path + '\0');

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int LinkAt(int existingDirectory, byte[] existing, int linkDirectory, byte[] link, int flags);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Rename(byte[] source, byte[] target);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int SyncFs(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Close(int fd);

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern IntPtr RealPath(byte[] path, IntPtr resolved);

        [DllImport("libc", EntryPoint = "free")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern void Free(IntPtr pointer);
    }
}

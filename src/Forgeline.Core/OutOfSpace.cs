namespace Forgeline.Core;

/// <summary>Whether a file write failed because its disk is full or its quota used up: the one test the server and the worker share.</summary>
public static class OutOfSpace
{
    // errno on Linux (ENOSPC, EDQUOT), which .NET puts into HResult for an I/O failure it has no own exception type for,
    // and the Windows codes .NET uses (ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL).
    private static readonly int[] Codes = [28, 122, 0x27, 0x70];

    /// <summary>The out-of-space I/O failure in <paramref name="exception"/> or one it wraps, or null.</summary>
    public static IOException? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io && Codes.Contains(io.HResult & 0xFFFF))
            {
                return io;
            }
        }

        return null;
    }
}

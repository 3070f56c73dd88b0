using System.Runtime.InteropServices;
using System.Text;

namespace Forgeline.Signing.Kms.Tests.SoftHsm;

/// <summary>
/// Sets an environment variable where native code sees it. On Linux, Environment.SetEnvironmentVariable only changes
/// .NET's own copy (which child processes inherit); a module's getenv() reads the C library's, hence setenv(3).
/// </summary>
internal static class NativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (SetEnv(Encoding.UTF8.GetBytes(name + "\0"), Encoding.UTF8.GetBytes(value + "\0"), 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(byte[] name, byte[] value, int overwrite);
}

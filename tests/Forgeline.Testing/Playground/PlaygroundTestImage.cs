using System.Diagnostics;

namespace Forgeline.Testing.Playground;

/// <summary>
/// A small real root file system for playground tests, made once per test process under /tmp from the host's own
/// programs (<see cref="HostTree"/>): bash, coreutils, procps (ps, top), vim, less, grep, sed, findutils and the
/// terminfo entries (xterm-256color among them), with an /etc/passwd and /etc/group holding root. Enough for a
/// learner's shell, and for vim and top to run on a real terminal.
/// </summary>
public static class PlaygroundTestImage
{
    /// <summary>The host packages whose files make the image.</summary>
    public static IReadOnlyList<string> DebianPackages { get; } =
    [
        "bash", "dash", "coreutils", "procps", "vim", "vim-common", "vim-runtime", "less", "ncurses-base", "ncurses-bin", "grep", "sed", "findutils",
        // libc-bin brings the C.UTF-8 locale (/usr/lib/locale/C.utf8): without it bash and vim take "é" for two bytes.
        "libc-bin",
    ];

    private const string DirectoryPrefix = "forgeline-playground-test-image-";

    // vim's runtime without its help, translations, tutor and spelling dictionaries: 15 MB instead of 40, and vim
    // starts the same (syntax highlighting and filetype plugins stay).
    private static readonly string[] Skipped = [.. HostTree.DefaultSkipped, "/usr/share/vim/vim90/doc/", "/usr/share/vim/vim90/lang/", "/usr/share/vim/vim90/tutor/", "/usr/share/vim/vim90/spell/"];

    private static readonly Lazy<Task<string>> Shared = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The image's directory, made on the first call in this test process. Only read it: tests share it (a playground
    /// image never changes its rootfs). It is removed when the process exits, or by the next process that makes one.
    /// </summary>
    public static Task<string> GetAsync() => Shared.Value;

    private static async Task<string> CreateAsync()
    {
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            // Named PREFIX-PID-GUID: left by a test process that is gone.
            if (int.TryParse(Path.GetFileName(stale)[DirectoryPrefix.Length..].Split('-')[0], out var pid) && !IsRunning(pid))
            {
                Remove(stale);
            }
        }

        var work = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(work);
        var root = Path.Combine(work, "rootfs");
        await HostTree.CopyAsync(root, DebianPackages, Skipped);
        // Debian names the editor through the alternatives system, which lives in the host's /etc.
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/vim"), "vim.basic");
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/vi"), "vim.basic");
        Directory.CreateDirectory(Path.Combine(root, "root"));
        Directory.CreateDirectory(Path.Combine(root, "home"));
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(root, "etc/hostname"), "playground\n");
        return root;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Remove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A later test process removes it.
        }
    }
}

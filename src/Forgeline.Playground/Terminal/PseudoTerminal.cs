using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Forgeline.Playground.Terminal;

/// <summary>
/// A pseudo-terminal opened through libc with one child process whose controlling terminal is its slave side: what
/// full-screen programs (vim, top, less), job control and resizing need, and what a pipe cannot give. The child is
/// started with <c>posix_spawn</c> in a new session (<c>POSIX_SPAWN_SETSID</c>) and opens the slave as its standard
/// input, output and error; on Linux a session leader without a terminal that opens one gets it as its controlling
/// terminal, so there is no <c>fork</c> in managed code and no helper program.
/// </summary>
public sealed unsafe partial class PseudoTerminal : IDisposable
{
    // Linux values (x86_64, aarch64 and the other generic-ABI arches .NET runs on).
    private const int OpenReadWrite = 0x2;
    private const int OpenNoControllingTty = 0x100;
    private const int OpenCloseOnExec = 0x80000;
    private const nuint SetWindowSize = 0x5414;
    private const short SpawnSetSignalDefaults = 0x04;
    private const short SpawnSetSignalMask = 0x08;
    private const short SpawnSetSession = 0x80;
    private const int SignalKill = 9;

    // The same numbers on every Linux arch (syscalls added after the tables were unified).
    private const long PidFdSendSignal = 424;
    private const long PidFdOpen = 434;

    // glibc's opaque structs, with room to spare: posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128.
    private const int OpaqueBytes = 1024;

    private readonly int master;
    private readonly Lock reaping = new();
    private int pid;
    private int disposed;
    private int reaped;
    private int pidFd = -1;
    private Task<int>? exit;

    /// <summary>Opens a pseudo-terminal of <paramref name="columns"/> × <paramref name="rows"/>.</summary>
    public PseudoTerminal(int columns, int rows)
    {
        master = posix_openpt(OpenReadWrite | OpenNoControllingTty | OpenCloseOnExec);
        if (master < 0)
        {
            throw new IOException($"could not open a pseudo-terminal (posix_openpt: errno {Marshal.GetLastPInvokeError()})");
        }

        var name = stackalloc byte[256];
        if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, 256) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = close(master);
            throw new IOException($"could not set up the pseudo-terminal (errno {errno})");
        }

        SlavePath = Marshal.PtrToStringUTF8((nint)name)!;
        Resize(columns, rows);
        // No buffering: every read and write is one read(2) or write(2) on the master.
        Master = new FileStream(new SafeFileHandle(master, ownsHandle: true), FileAccess.ReadWrite, bufferSize: 0);
    }

    /// <summary>The master side: what the child writes comes out here, what is written here is the child's keyboard. Reading throws <see cref="IOException"/> (EIO) once no process holds the slave any more.</summary>
    public FileStream Master { get; }

    /// <summary>The slave's path, e.g. <c>/dev/pts/3</c>.</summary>
    public string SlavePath { get; }

    /// <summary>The child's process id; 0 before <see cref="Start"/>.</summary>
    public int ProcessId => pid;

    /// <summary>Sets the terminal's size; the child gets SIGWINCH.</summary>
    public void Resize(int columns, int rows)
    {
        var size = new WindowSize { Rows = (ushort)Math.Clamp(rows, 1, 1000), Columns = (ushort)Math.Clamp(columns, 1, 1000) };
        if (ioctl(master, SetWindowSize, &size) != 0)
        {
            throw new IOException($"could not resize the pseudo-terminal (TIOCSWINSZ: errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>
    /// Starts <paramref name="arguments"/> (the program first, found on PATH) with exactly <paramref name="environment"/>,
    /// in a new session, with the slave as its terminal. Every signal is reset to its default: the runtime ignores
    /// SIGPIPE, and an ignored signal would stay ignored across exec.
    /// </summary>
    /// <remarks>
    /// The child is started, and then waited for, on one thread of its own that lives exactly as long as the child.
    /// A child that asks to die with its parent (bwrap's <c>--die-with-parent</c>, <c>PR_SET_PDEATHSIG</c>) is tied to
    /// the parent <em>thread</em>: started from a thread-pool thread, it would be killed whenever the pool retires that
    /// thread.
    /// </remarks>
    public void Start(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        if (pid != 0 || exit is not null)
        {
            throw new InvalidOperationException("the pseudo-terminal already has its process");
        }

        var spawned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        exit = exited.Task;
        var thread = new Thread(() =>
        {
            try
            {
                Spawn(arguments, environment);
                spawned.SetResult();
            }
            catch (Exception e)
            {
                spawned.SetException(e);
                return;
            }

            exited.SetResult(Reap(pid));
        })
        {
            IsBackground = true,
            Name = "pty-child",
        };
        thread.Start();
        spawned.Task.GetAwaiter().GetResult();
    }

    private void Spawn(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var attributes = stackalloc byte[OpaqueBytes];
        var actions = stackalloc byte[OpaqueBytes];
        var signals = stackalloc byte[OpaqueBytes];
        _ = posix_spawnattr_init(attributes);
        _ = posix_spawn_file_actions_init(actions);
        var pinned = new List<GCHandle>();
        try
        {
            _ = sigfillset(signals);
            _ = posix_spawnattr_setsigdefault(attributes, signals);
            _ = sigemptyset(signals);
            _ = posix_spawnattr_setsigmask(attributes, signals);
            _ = posix_spawnattr_setflags(attributes, SpawnSetSession | SpawnSetSignalDefaults | SpawnSetSignalMask);

            byte* Pin(string text)
            {
                var handle = GCHandle.Alloc(Encoding.UTF8.GetBytes(text + "\0"), GCHandleType.Pinned);
                pinned.Add(handle);
                return (byte*)handle.AddrOfPinnedObject();
            }

            _ = posix_spawn_file_actions_addopen(actions, 0, Pin(SlavePath), OpenReadWrite, 0);
            _ = posix_spawn_file_actions_adddup2(actions, 0, 1);
            _ = posix_spawn_file_actions_adddup2(actions, 0, 2);
            var argv = new nint[arguments.Count + 1];
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i] = (nint)Pin(arguments[i]);
            }

            var variables = environment.Select(v => $"{v.Key}={v.Value}").ToList();
            var envp = new nint[variables.Count + 1];
            for (var i = 0; i < variables.Count; i++)
            {
                envp[i] = (nint)Pin(variables[i]);
            }

            int started;
            int result;
            fixed (nint* argvPointer = argv, envpPointer = envp)
            {
                result = posix_spawnp(&started, (byte*)argv[0], actions, attributes, (byte**)argvPointer, (byte**)envpPointer);
            }

            if (result != 0)
            {
                throw new IOException($"could not start {arguments[0]} on the pseudo-terminal (posix_spawnp: errno {result})");
            }

            pid = started;
            // A handle on this very process: signalling through it can never reach another process that got the pid
            // after this one was reaped. Kernels before 5.3 have none; Dispose then checks that it was not reaped.
            pidFd = (int)syscall(PidFdOpen, started, 0);
        }
        finally
        {
            foreach (var handle in pinned)
            {
                handle.Free();
            }

            _ = posix_spawn_file_actions_destroy(actions);
            _ = posix_spawnattr_destroy(attributes);
        }
    }

    /// <summary>Completes with the child's wait status once it has ended (and was reaped, once, by the thread that started it).</summary>
    public Task<int> WaitForExitAsync() => exit ?? throw new InvalidOperationException("the pseudo-terminal has no process");

    private int Reap(int child)
    {
        int status;
        while (waitpid(child, &status, 0) < 0 && Marshal.GetLastPInvokeError() == 4)
        {
            // EINTR: wait again.
        }

        // Reaped: the pid may now belong to any new process, so it is never signalled again.
        lock (reaping)
        {
            reaped = 1;
        }

        return status;
    }

    /// <summary>Kills the child (SIGKILL) unless it was reaped already, and closes the master.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (pidFd >= 0)
        {
            // ESRCH when it is gone already.
            _ = syscall(PidFdSendSignal, pidFd, SignalKill, 0, 0);
            _ = close(pidFd);
        }
        else
        {
            lock (reaping)
            {
                if (pid > 0 && reaped == 0)
                {
                    _ = kill(pid, SignalKill);
                }
            }
        }

        Master.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort PixelsX;
        public ushort PixelsY;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, WindowSize* size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a, long b);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, long a, long b, long c, long d);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc")]
    private static partial int sigemptyset(byte* set);

    [LibraryImport("libc")]
    private static partial int sigfillset(byte* set);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(byte* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(byte* attributes);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(byte* attributes, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(byte* attributes, byte* set);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(byte* attributes, byte* set);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawnp(int* pid, byte* file, byte* actions, byte* attributes, byte** argv, byte** envp);
}

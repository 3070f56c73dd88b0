using System.Text;
using Forgeline.Playground.Terminal;

namespace Forgeline.Playground.Tests;

/// <summary>
/// The playground's terminal is a real one: the child sees a terminal on its standard streams, gets the keys written
/// to the master, hears of resizes, has default signal handling, and dies with the terminal.
/// </summary>
public sealed class PseudoTerminalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal) { ["PATH"] = "/usr/bin:/bin", ["LANG"] = "C.UTF-8" };

    [Fact]
    public async Task The_child_has_a_terminal_of_the_size_asked_for_as_its_standard_streams()
    {
        using var terminal = new PseudoTerminal(100, 30);
        terminal.Start(["/bin/sh", "-c", "test -t 0 && test -t 1 && test -t 2 && echo ALL-A-TTY; stty size; exit 3"], Environment);
        var output = new TerminalOutput(terminal);

        (await output.WaitForAsync("30 100")).ShouldContain("ALL-A-TTY");
        var status = await terminal.WaitForExitAsync().WaitAsync(Patience);
        ((status >> 8) & 0xff).ShouldBe(3, "the exit code comes back through waitpid");
        terminal.SlavePath.ShouldStartWith("/dev/pts/");
    }

    [Fact]
    public async Task What_is_written_to_the_master_is_the_childs_keyboard_in_UTF8()
    {
        using var terminal = new PseudoTerminal(80, 24);
        terminal.Start(["/bin/sh", "-c", "read line; echo \"got:$line\""], Environment);
        var output = new TerminalOutput(terminal);

        await terminal.Master.WriteAsync(Encoding.UTF8.GetBytes("café ✓\n"));

        await output.WaitForAsync("got:café ✓");
    }

    [Fact]
    public async Task A_resize_reaches_the_child_as_SIGWINCH_with_the_new_size()
    {
        using var terminal = new PseudoTerminal(80, 24);
        terminal.Start(["/bin/sh", "-c", "trap 'stty size; exit 0' WINCH; echo READY; while :; do sleep 0.05; done"], Environment);
        var output = new TerminalOutput(terminal);
        await output.WaitForAsync("READY");

        terminal.Resize(132, 40);

        await output.WaitForAsync("40 132");
    }

    [Fact]
    public async Task Signals_are_reset_to_their_defaults_so_a_pipeline_ends_quietly()
    {
        using var terminal = new PseudoTerminal(80, 24);
        // The runtime ignores SIGPIPE; inherited, yes would report "Broken pipe" instead of dying of the signal.
        terminal.Start(["/bin/sh", "-c", "yes | head -n 1; echo DONE"], Environment);
        var output = new TerminalOutput(terminal);

        (await output.WaitForAsync("DONE")).ShouldNotContain("Broken pipe");
    }

    [Fact]
    public async Task Disposing_the_terminal_kills_its_process()
    {
        var terminal = new PseudoTerminal(80, 24);
        terminal.Start(["/bin/sleep", "60"], Environment);
        var exited = terminal.WaitForExitAsync();

        terminal.Dispose();

        var status = await exited.WaitAsync(Patience);
        (status & 0x7f).ShouldBe(9, "killed by SIGKILL");
    }

    [Fact]
    public async Task A_child_that_dies_with_its_parent_outlives_the_thread_that_started_it()
    {
        // bwrap --die-with-parent is PR_SET_PDEATHSIG, which follows the parent *thread*: a session started from a
        // thread-pool thread must not die when the pool retires that thread.
        using var terminal = new PseudoTerminal(80, 24);
        var starter = new Thread(() => terminal.Start(["setpriv", "--pdeathsig", "KILL", "--", "/bin/sleep", "60"], Environment));
        starter.Start();
        starter.Join();
        var exited = terminal.WaitForExitAsync();

        // The child is alive as long as it still answers: it is killed only by Dispose below.
        await Task.Delay(500);
        exited.IsCompleted.ShouldBeFalse("the thread that called Start is gone, yet the child lives on");
        terminal.Dispose();
        ((await exited.WaitAsync(Patience)) & 0x7f).ShouldBe(9);
    }

    [Fact]
    public void A_program_that_does_not_exist_is_a_clear_error()
    {
        using var terminal = new PseudoTerminal(80, 24);

        Should.Throw<IOException>(() => terminal.Start(["/no/such/program"], Environment)).Message.ShouldContain("could not start /no/such/program");
    }

    /// <summary>Everything the child writes, read from the master on a thread of its own until the child is gone.</summary>
    private sealed class TerminalOutput
    {
        private readonly StringBuilder text = new();
        private readonly Task reading;

        public TerminalOutput(PseudoTerminal terminal) => reading = Task.Factory.StartNew(() =>
        {
            var buffer = new byte[4096];
            var decoder = Encoding.UTF8.GetDecoder();
            var chars = new char[8192];
            try
            {
                int read;
                while ((read = terminal.Master.Read(buffer)) > 0)
                {
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    lock (text)
                    {
                        text.Append(chars, 0, count);
                    }
                }
            }
            catch (IOException)
            {
                // EIO: no process holds the slave any more.
            }
            catch (ObjectDisposedException)
            {
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        public async Task<string> WaitForAsync(string expected)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                lock (text)
                {
                    if (text.ToString().Contains(expected, StringComparison.Ordinal))
                    {
                        return text.ToString();
                    }
                }

                if (reading.IsCompleted)
                {
                    break;
                }

                await Task.Delay(20);
            }

            lock (text)
            {
                throw new ShouldAssertException($"the terminal never showed '{expected}'; it showed: {text}");
            }
        }
    }
}

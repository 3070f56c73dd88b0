using System.Diagnostics;
using System.Text;
using Forgeline.Images.Vm;

namespace Forgeline.Images.Tests;

/// <summary>
/// The serial-console driver against a real shell on a pair of pipes (what a VM's console is to the driver: bytes in,
/// bytes out): waiting for text, exit statuses of commands, a file fetched from the guest, timeouts and a closed console.
/// </summary>
public sealed class SerialConsoleTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<string> lines = [];
    private Process guest = null!;
    private SerialConsole console = null!;

    public Task InitializeAsync()
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", "echo 'tiny login: '; exec /bin/sh 2>&1"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        guest = Process.Start(start)!;
        console = new SerialConsole(guest.StandardOutput.BaseStream, guest.StandardInput.BaseStream, new SynchronousProgress(line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (!guest.HasExited)
        {
            guest.Kill();
        }

        await guest.WaitForExitAsync();
        await console.DisposeAsync();
        guest.Dispose();
    }

    [Fact]
    public async Task Commands_report_their_exit_status_and_the_log_keeps_every_line()
    {
        await console.WaitForAsync("login:", Patience);

        (await console.RunAsync("true", Patience)).ShouldBe(0);
        (await console.RunAsync("false", Patience)).ShouldBe(1);
        (await console.RunAsync("three() { return 3; }; three", Patience)).ShouldBe(3);
        (await console.RunAsync("echo hello from the guest", Patience)).ShouldBe(0);

        console.Log.ShouldContain("hello from the guest");
        lock (lines)
        {
            lines.ShouldContain("hello from the guest");
        }
    }

    [Fact]
    public async Task A_file_comes_back_from_the_guest_byte_for_byte()
    {
        var junit = "<testsuite name=\"smoke\" tests=\"1\"><testcase name=\"café\"/></testsuite>\n";
        (await console.RunAsync($"printf '%s\\n' '{junit.TrimEnd()}' > /tmp/forgeline-serial-test.xml", Patience)).ShouldBe(0);

        var fetched = await console.FetchAsync("/tmp/forgeline-serial-test.xml", Patience);

        Encoding.UTF8.GetString(fetched).ShouldBe(junit);
        (await Should.ThrowAsync<SerialConsoleException>(() => console.FetchAsync("/no/such/results.xml", Patience))).Message.ShouldContain("could not read /no/such/results.xml");
    }

    [Fact]
    public async Task Text_that_never_comes_times_out_and_a_closed_console_says_so()
    {
        (await Should.ThrowAsync<SerialConsoleException>(() => console.WaitForAsync("kernel panic", TimeSpan.FromMilliseconds(300)))).Message
            .ShouldContain("waited 0 s for 'kernel panic'");

        await console.TypeAsync("exit\n");
        await guest.WaitForExitAsync();

        (await Should.ThrowAsync<SerialConsoleException>(() => console.WaitForAsync("anything", Patience))).Message.ShouldContain("the console closed while waiting for 'anything'");
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>A command that runs past its wall-clock limit is killed, with everything it started.</summary>
public sealed class TimeoutTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task A_command_past_its_timeout_is_reported_as_timed_out_and_leaves_no_process_behind()
    {
        var seconds = Sandboxed.UniqueSleepSeconds();
        var request = Sandboxed.Request(work.Path, ["sh", "-c", $"echo started; sleep {seconds}; echo finished"], timeout: TimeSpan.FromSeconds(2));

        // RunAsync gives up after 30 s (Patience), far below the 600 s the command wants.
        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.TimedOut);
        result.Succeeded.ShouldBeFalse();
        output.Text.ShouldBe("started\n");
        (await Sandboxed.HostProcessesMatchingAsync(seconds)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_command_that_finishes_within_its_timeout_is_not_timed_out()
    {
        var request = Sandboxed.Request(work.Path, ["sh", "-c", "echo quick"], timeout: TimeSpan.FromSeconds(20));

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        output.Text.ShouldBe("quick\n");
    }
}

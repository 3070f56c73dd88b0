using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>Cancelling the token (a user's cancel, a lost lease, worker shutdown) stops the command and everything it started.</summary>
public sealed class StopTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Cancelling_the_token_stops_a_running_command_and_reports_stopped()
    {
        var seconds = Sandboxed.UniqueSleepSeconds();
        var output = new OutputCollector();
        using var stop = new CancellationTokenSource();
        var request = Sandboxed.Request(work.Path, ["sh", "-c", $"echo started; sleep {seconds} & wait; echo finished"]);

        var running = Sandboxed.Start(request, output, stop.Token);
        await output.WaitForAsync("started\n");
        // The shell and its background sleep are running, and pgrep sees them: the check below can tell.
        var whileRunning = await Sandboxed.HostProcessesMatchingAsync(seconds);
        whileRunning.ShouldContain($"sleep {seconds}");
        running.IsCompleted.ShouldBeFalse();

        await stop.CancelAsync();
        var result = await running.WaitAsync(Sandboxed.Patience);

        result.Outcome.ShouldBe(SandboxOutcome.Stopped);
        result.Succeeded.ShouldBeFalse();
        output.Text.ShouldBe("started\n");
        (await Sandboxed.HostProcessesMatchingAsync(seconds)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_token_cancelled_before_the_start_stops_the_command_at_once()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var marker = Sandboxed.UniqueMarker();

        var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work.Path, ["sh", "-c", $"sleep 30; echo {marker}; touch /build/{marker}"]), stop.Token);

        result.Outcome.ShouldBe(SandboxOutcome.Stopped);
        output.Text.ShouldNotContain(marker);
        File.Exists(work[marker]).ShouldBeFalse();
        (await Sandboxed.HostProcessesMatchingAsync(marker)).ShouldBeEmpty();
    }
}

using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>
/// A sandbox that cannot be set up is told apart from a command that failed: the first is the worker's problem (the
/// job is retried elsewhere), the second the package's.
/// </summary>
public sealed class StartFailureTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task A_missing_bwrap_is_reported_as_failed_to_start_with_its_path()
    {
        var missing = work["no-such-bwrap"];
        var output = new OutputCollector();

        var result = await new BubblewrapSandbox(missing).RunAsync(Sandboxed.Request(work.Path, ["true"]), output.OnOutputAsync, CancellationToken.None)
            .WaitAsync(Sandboxed.Patience);

        result.Outcome.ShouldBe(SandboxOutcome.FailedToStart);
        result.StartProblem.ShouldNotBeNull().ShouldContain($"could not run {missing}");
        result.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task Bwrap_refusing_its_setup_is_failed_to_start_with_bwraps_own_message()
    {
        // bwrap cannot bind a work directory that is not there: it fails before running anything.
        var marker = Sandboxed.UniqueMarker();
        var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work[$"gone-{marker}"], ["sh", "-c", $"echo {marker}"]));

        result.Outcome.ShouldBe(SandboxOutcome.FailedToStart, output.Text);
        result.StartProblem.ShouldNotBeNull().ShouldStartWith("bwrap: ");
        result.StartProblem.ShouldContain($"gone-{marker}");
        output.Text.ShouldNotContain($"{marker}\n");
    }

    [Fact]
    public async Task A_command_that_prints_like_bwrap_on_stderr_and_fails_is_an_ordinary_failure()
    {
        var (result, output) = await Sandboxed.ShAsync(work.Path, "echo 'bwrap: pretending' >&2; exit 1");

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldBe(1);
        result.StartProblem.ShouldBeNull();
        output.Text.ShouldBe("bwrap: pretending\n");
    }
}

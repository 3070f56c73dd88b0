using System.Text;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>What the command prints reaches the callback, stdout and stderr in the order written, and the exit code is reported.</summary>
public sealed class OutputAndExitCodeTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Stdout_and_stderr_arrive_through_the_callback_interleaved_in_the_order_written()
    {
        var (result, output) = await Sandboxed.ShAsync(work.Path, "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2; printf 'no newline'");

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldBe(0);
        result.Succeeded.ShouldBeTrue();
        output.Text.ShouldBe("out-1\nerr-1\nout-2\nerr-2\nno newline");
        result.OutputBytes.ShouldBe(Encoding.UTF8.GetByteCount(output.Text));
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_reported_and_is_not_a_success()
    {
        var (result, output) = await Sandboxed.ShAsync(work.Path, "echo about to fail >&2; exit 42");

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldBe(42);
        result.Succeeded.ShouldBeFalse();
        output.Text.ShouldBe("about to fail\n");
    }

    [Fact]
    public async Task A_command_that_does_not_exist_fails_with_the_shells_error_in_the_output()
    {
        var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work.Path, ["no-such-program-forgeline"]));

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldBe(127);
        output.Text.ShouldContain("no-such-program-forgeline");
    }

    [Fact]
    public async Task Binary_output_arrives_byte_for_byte()
    {
        // Every byte value 0..255, twice: nothing is decoded, trimmed or translated on the way.
        var (result, output) = await Sandboxed.ShAsync(work.Path, "i=0; while [ $i -lt 2 ]; do j=0; while [ $j -lt 256 ]; do printf \"\\\\$(printf %03o $j)\"; j=$((j+1)); done; i=$((i+1)); done");

        result.Succeeded.ShouldBeTrue();
        var expected = Enumerable.Range(0, 512).Select(i => (byte)(i % 256)).ToArray();
        output.Bytes.ShouldBe(expected);
    }
}

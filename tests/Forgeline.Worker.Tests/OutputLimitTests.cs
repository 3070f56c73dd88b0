using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>A command that prints more than its output limit is killed; the log keeps exactly the first bytes up to the limit.</summary>
public sealed class OutputLimitTests : IDisposable
{
    private const int Limit = 100 * 1024;
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Endless_output_is_stopped_at_the_limit_and_the_callback_gets_no_more_than_the_limit()
    {
        var marker = Sandboxed.UniqueMarker();
        var request = Sandboxed.Request(work.Path, ["yes", marker], outputLimit: Limit);

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.OutputLimitExceeded);
        result.Succeeded.ShouldBeFalse();
        result.OutputBytes.ShouldBeGreaterThan(Limit);
        var received = output.Text;
        // Exactly the first Limit bytes of what yes printed: a prefix of "MARKER\nMARKER\n...".
        received.Length.ShouldBe(Limit);
        var line = marker + "\n";
        var expected = string.Concat(Enumerable.Repeat(line, (Limit / line.Length) + 1))[..Limit];
        received.ShouldBe(expected);
        (await Sandboxed.HostProcessesMatchingAsync(marker)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Output_of_exactly_the_limit_is_allowed()
    {
        var request = Sandboxed.Request(work.Path, ["head", "-c", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "/dev/zero"], outputLimit: Limit);

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.Succeeded.ShouldBeTrue();
        result.OutputBytes.ShouldBe(Limit);
        output.Bytes.Length.ShouldBe(Limit);
    }

    [Fact]
    public async Task One_byte_over_the_limit_is_over_the_limit()
    {
        var request = Sandboxed.Request(work.Path, ["head", "-c", (Limit + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "/dev/zero"], outputLimit: Limit);

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.OutputLimitExceeded);
        output.Bytes.Length.ShouldBe(Limit);
    }
}

using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>The worker's environment (tokens, credentials) never reaches the build.</summary>
public sealed class EnvironmentTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task A_variable_of_the_worker_process_is_not_visible_inside_and_only_the_sandboxs_own_are_set()
    {
        var secret = Sandboxed.UniqueMarker();
        Environment.SetEnvironmentVariable("FORGELINE_SECRET_TEST", secret);
        try
        {
            // The variable is really in this process's environment, which child processes inherit...
            var (_, hostEnv, _) = await ProcessRunner.RunAsync("env", [], timeout: Sandboxed.Patience);
            hostEnv.ShouldContain($"FORGELINE_SECRET_TEST={secret}");

            // ...but not in the sandbox's.
            var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work.Path, ["env"]));

            result.Succeeded.ShouldBeTrue(output.Text);
            output.Text.ShouldNotContain(secret);
            output.Text.ShouldNotContain("FORGELINE_SECRET_TEST");
            var names = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).ToHashSet();
            // sh adds PWD; nothing else but what the sandbox sets.
            names.ShouldBeSubsetOf(["PATH", "HOME", "LANG", "TMPDIR", "SOURCE_DATE_EPOCH_FROM_CHANGELOG", "PWD"]);
            output.Text.ShouldContain("HOME=/build\n");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FORGELINE_SECRET_TEST", null);
        }
    }
}

using Forgeline.Core.Workers;
using Forgeline.Testing;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests.BuildRoots;

public sealed class SmokeTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-smoke");
    private readonly LocalJobTransfer transfer = new();
    private readonly CollectingBuildLog log = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Smoke()
    {
        var srpm = "/tmp/spike/b/build/dyn-1-1.src.rpm";
        var lease = await transfer.SrpmLeaseAsync(srpm);
        lease = lease with { Root = new JobRoot("spike", "x86_64", [new JobRepository("base", "file:///tmp/spike/repo", File.ReadAllText("/tmp/spike/key.asc"))], ["test-buildsys"]) };
        using var cache = new RootCache(home["cache"], 1 << 30);
        using var http = new HttpClient();
        var host = new BuildRootHost(cache, http, null, null);
        for (var i = 0; i < 2; i++)
        {
            var runner = new BuildRunner(transfer, new BubblewrapSandbox(), lease, log, home[$"work{i}"], null, null, host);
            try
            {
                await runner.RunAsync(CancellationToken.None);
            }
            finally
            {
                Console.WriteLine(log.Text);
                Console.WriteLine(runner.RootReport);
            }
        }
    }
}

using System.Diagnostics;
using Forgeline.Repositories;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>Two publishes of one repository never interleave: the second waits for the first, in this process or another.</summary>
[Collection("repositories")]
public sealed class RepositoryLockTests(RepositoryPackagesFixture packages) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory dir = new("forgeline-repo-lock");

    private string Root => dir["repo"];

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_second_publisher_in_this_process_waits_until_the_first_is_done()
    {
        var firstInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new RepositoryPublisher(Root) { StageHook = async stage =>
        {
            if (stage == PublishStage.PoolFilled)
            {
                firstInside.SetResult();
                await releaseFirst.Task;
            }
        } };
        var second = new RepositoryPublisher(Root) { StageHook = stage =>
        {
            if (stage == PublishStage.WaitingForLock)
            {
                secondWaiting.TrySetResult();
            }

            return Task.CompletedTask;
        } };

        var firstPublish = first.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        await firstInside.Task.WaitAsync(Patience);
        var secondPublish = second.PublishAsync([packages.Package("gamma")], packages.SignAsync, default);
        await secondWaiting.Task.WaitAsync(Patience);

        secondPublish.IsCompleted.ShouldBeFalse();
        releaseFirst.SetResult();
        (await firstPublish.WaitAsync(Patience)).Generation.ShouldBe(1);
        (await secondPublish.WaitAsync(Patience)).Generation.ShouldBe(2);
        ServedRepository.Check(Root).FileNames.ShouldBe(["gamma-1.0-1.noarch.rpm"]);
    }

    [Fact]
    public async Task A_publisher_waits_for_another_process_holding_the_lock()
    {
        Directory.CreateDirectory(Root);
        // flock(1) takes the same flock(2) lock another Forgeline process would, and holds it until its stdin closes.
        var start = new ProcessStartInfo("flock", ["--exclusive", Path.Combine(Root, ".lock"), "sh", "-c", "echo locked; read line"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var holder = Process.Start(start)!;
        (await holder.StandardOutput.ReadLineAsync().WaitAsync(Patience)).ShouldBe("locked");
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new RepositoryPublisher(Root) { StageHook = stage =>
        {
            if (stage == PublishStage.WaitingForLock)
            {
                waiting.TrySetResult();
            }

            return Task.CompletedTask;
        } };

        var publish = publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        await waiting.Task.WaitAsync(Patience);

        publish.IsCompleted.ShouldBeFalse();
        Directory.Exists(Path.Combine(Root, ".generations")).ShouldBeFalse("nothing may be written while another process holds the lock");
        holder.StandardInput.Close();
        await holder.WaitForExitAsync().WaitAsync(Patience);
        (await publish.WaitAsync(Patience)).Generation.ShouldBe(1);
        ServedRepository.Check(Root).FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm"]);
    }
}

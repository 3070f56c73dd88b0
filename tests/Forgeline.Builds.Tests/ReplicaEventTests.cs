using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Testing;

namespace Forgeline.Builds.Tests;

/// <summary>The RabbitMQ broker of these tests, shared by the class.</summary>
[CollectionDefinition("rabbitmq")]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqServer>;

/// <summary>
/// Two server replicas on one PostgreSQL database, told of each other's queue changes over a real RabbitMQ broker.
/// The fake clock never moves, so the replicas' periodic database reads never run: whatever one learns of the other's
/// builds came through the broker.
/// </summary>
[Collection("rabbitmq")]
public sealed class ReplicaEventTests(RabbitMqServer broker, PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_build_submitted_to_one_replica_wakes_a_worker_waiting_on_another_and_its_claim_is_seen_by_the_first()
    {
        var settings = new Dictionary<string, string?> { ["Forgeline:Broker"] = broker.Url(await broker.CreateVirtualHostAsync()) };
        await using var a = await BuildsHarness.CreateAsync(DatabaseEngine.Postgres, settings);
        await using var b = await a.ReplicaAsync(settings);
        await a.StartHostedAsync();
        await b.StartHostedAsync();
        var arch = new BuildsOptions().DefaultArch;
        (await b.Jobs(j => j.LeaseAsync(new LeaseRequest("on-b", arch, 1, WaitSeconds: 0), default))).ShouldBeNull("both books are loaded, and empty");

        // A worker long-polls replica B; on the fake clock only a wake-up from the broker can end its wait early.
        var waiting = b.Jobs(j => j.LeaseAsync(new LeaseRequest("on-b", arch, 1, WaitSeconds: 30), default));
        var upload = await a.Builds(s => s.UploadSourceAsync(File.OpenRead(packages.Srpm), "srpm", null, default));
        var submitted = await a.Builds(s => s.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256, "hello.src.rpm"), arch), default));
        var id = submitted.Value!.Id;

        var lease = await waiting.WaitAsync(Patience);
        lease.ShouldNotBeNull().BuildId.ShouldBe(id);
        await Eventually(() => a.Book.Count == 0, "replica A drops the build B claimed");

        // B's claim made alice's share 1 running on A too: a second owner's build goes first there.
        var more = await a.Builds(s => s.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256, "hello.src.rpm"), arch, NoCache: true), default));
        var bob = await a.Builds(s => s.SubmitAsync("bob", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256, "hello.src.rpm"), arch, NoCache: true), default));
        await Eventually(() => b.Book.Count == 2, "replica B learns both");
        (await b.Jobs(j => j.LeaseAsync(new LeaseRequest("on-b-2", arch, 1, WaitSeconds: 0), default)))!.BuildId.ShouldBe(bob.Value!.Id);
        (await a.Jobs(j => j.LeaseAsync(new LeaseRequest("on-a", arch, 1, WaitSeconds: 0), default)))!.BuildId.ShouldBe(more.Value!.Id);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, what);
            await Task.Delay(20);
        }
    }
}

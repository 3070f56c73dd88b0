using System.Net;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Workers;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The pull protocol over HTTP against a real server without a worker: the completion that hands over the next job in the
/// same round trip, the older completion body still accepted, and a worker token refused on the very next request after
/// it was revoked, though the server had it cached from the calls before.
/// </summary>
public sealed class WorkerProtocolTests : IAsyncLifetime
{
    private readonly TempDirectory home = new("forgeline-protocol");
    private ForgelineServer server = null!;

    public async Task InitializeAsync() => server = await ForgelineServer.StartAsync(embeddedWorker: false);

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        home.Dispose();
    }

    [Fact]
    public async Task A_completion_hands_over_the_next_job_and_a_revoked_worker_token_is_refused_at_the_next_request()
    {
        using var admin = server.Client();
        var srpm = await TestPackages.MakeSrpmAsync(home.Path, "proto");
        string arch;
        await using (var file = File.OpenRead(srpm))
        {
            var upload = await admin.UploadAsync(file, "srpm", Path.GetFileName(srpm), await Sha256Hex.OfFileAsync(srpm));
            var source = new BuildSource(SourceKind.Srpm, upload.Sha256, Path.GetFileName(srpm));
            arch = (await admin.SubmitBuildAsync(new SubmitBuildRequest(source, NoCache: true))).Arch;
            await admin.SubmitBuildAsync(new SubmitBuildRequest(source, NoCache: true));
        }

        var tokenName = $"proto-{Guid.NewGuid():N}"[..20];
        var secret = (await admin.CreateTokenAsync(new Core.Tokens.CreateTokenRequest(tokenName, ["worker"]))).Token;
        using var worker = new ForgelineClient(server.Url, secret);
        var ask = new LeaseRequest("proto-worker", arch, 1, WaitSeconds: 5);
        var first = (await worker.LeaseAsync(ask)).ShouldNotBeNull();
        first.Protocol.ShouldBe(JobLease.CompleteCarriesMore);
        await worker.HeartbeatAsync(first.LeaseId);

        var done = await worker.CompleteAsync(first.LeaseId, new CompleteJobRequest(JobOutcome.Failed, "spec broken", null, Next: ask));
        done.ShouldNotBeNull().State.ShouldBe("failed");
        var second = done.Next.ShouldNotBeNull("the queued build comes back with the completion");
        second.BuildId.ShouldNotBe(first.BuildId);
        (await admin.GetBuildAsync(second.BuildId)).State.ShouldBe("running");

        // An older worker's body, outcome only, is still taken; it asks for nothing next and gets nothing.
        var last = await worker.CompleteAsync(second.LeaseId, new CompleteJobRequest(JobOutcome.Failed, "spec broken", null));
        last.ShouldNotBeNull().State.ShouldBe("failed");
        last.Next.ShouldBeNull();

        await admin.RevokeTokenAsync(tokenName);
        var refused = await Should.ThrowAsync<ForgelineApiException>(() => worker.LeaseAsync(ask with { WaitSeconds = 0 }));
        refused.Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

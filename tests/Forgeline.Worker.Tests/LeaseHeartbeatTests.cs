using System.Net;
using System.Threading.Channels;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Workers;
using Forgeline.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Worker.Tests;

/// <summary>
/// The worker's heartbeat on fake time: it beats once per <see cref="LeaseHeartbeat.Interval"/> of the clock, never
/// before, and stops the job when the server says the user cancelled or that the lease is gone. The server is a
/// stand-in for <c>POST /api/v1/jobs/{lease}/heartbeat</c> answering as the API documents (the lease logic itself is
/// tested against the real services in Forgeline.Builds.Tests' LeaseTests), so no test here waits for real seconds.
/// </summary>
public sealed class LeaseHeartbeatTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeClock clock = new();
    private readonly Channel<string> beats = Channel.CreateUnbounded<string>();
    private readonly WebApplication app = LoopbackWebApp.Create();
    private ForgelineClient client = null!;

    // What the stand-in answers to the next heartbeat: 200 with cancelRequested, or 409.
    private volatile int answer = Ok;

    private const int Ok = 0;
    private const int Cancel = 1;
    private const int Conflict = 2;

    public async Task InitializeAsync()
    {
        app.MapPost("/api/v1/jobs/{lease}/heartbeat", async (string lease) =>
        {
            await beats.Writer.WriteAsync(lease);
            return answer == Conflict
                ? Results.Problem(title: "Conflict", detail: "this lease is no longer valid", statusCode: StatusCodes.Status409Conflict)
                : Results.Json(new HeartbeatResult(answer == Cancel, DateTimeOffset.UnixEpoch), ForgelineJson.Options);
        });
        client = new ForgelineClient(await LoopbackWebApp.StartAsync(app), token: null);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task It_beats_once_per_interval_of_the_clock_and_a_cancel_stops_the_job()
    {
        var lease = Lease(leaseSeconds: 60);
        await using var heartbeat = new LeaseHeartbeat(client, lease, NullLogger.Instance, CancellationToken.None, clock);
        var interval = LeaseHeartbeat.Interval(60);

        await clock.WaitForTimerAsync(left => left == interval, Patience);
        clock.Advance(interval - TimeSpan.FromMilliseconds(1));
        beats.Reader.TryRead(out _).ShouldBeFalse("no heartbeat before the interval has passed");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await beats.Reader.ReadAsync().AsTask().WaitAsync(Patience)).ShouldBe(lease.LeaseId);
        heartbeat.JobToken.IsCancellationRequested.ShouldBeFalse();

        answer = Cancel;
        await clock.WaitForTimerAsync(left => left == interval, Patience);
        clock.Advance(interval);
        await beats.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        await WhenCancelledAsync(heartbeat.JobToken);
        heartbeat.CancelRequested.ShouldBeTrue();
        heartbeat.LeaseLost.ShouldBeFalse();
    }

    [Fact]
    public async Task A_lease_the_server_took_back_stops_the_job_and_the_beats()
    {
        var lease = Lease(leaseSeconds: 4);
        await using var heartbeat = new LeaseHeartbeat(client, lease, NullLogger.Instance, CancellationToken.None, clock);
        answer = Conflict;
        var interval = LeaseHeartbeat.Interval(4);

        await clock.WaitForTimerAsync(left => left == interval, Patience);
        clock.Advance(interval);
        await beats.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        await WhenCancelledAsync(heartbeat.JobToken);
        heartbeat.LeaseLost.ShouldBeTrue();
        heartbeat.CancelRequested.ShouldBeFalse();

        clock.Advance(interval * 10);
        beats.Reader.TryRead(out _).ShouldBeFalse("a lost lease is not renewed again");
    }

    [Fact]
    public async Task Worker_shutdown_stops_the_job_without_a_heartbeat()
    {
        using var shutdown = new CancellationTokenSource();
        await using var heartbeat = new LeaseHeartbeat(client, Lease(leaseSeconds: 60), NullLogger.Instance, shutdown.Token, clock);

        await shutdown.CancelAsync();

        heartbeat.JobToken.IsCancellationRequested.ShouldBeTrue();
        heartbeat.CancelRequested.ShouldBeFalse();
        beats.Reader.TryRead(out _).ShouldBeFalse();
    }

    private static JobLease Lease(int leaseSeconds) =>
        new(7, Guid.NewGuid().ToString("N"), 1, new BuildSource(SourceKind.Srpm, new string('a', 64)), "x86_64", 3600, 1 << 20, leaseSeconds);

    private static Task WhenCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => cancelled.TrySetResult());
        return cancelled.Task.WaitAsync(Patience, CancellationToken.None);
    }
}

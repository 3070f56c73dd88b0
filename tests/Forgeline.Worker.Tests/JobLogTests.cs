using System.Text;
using System.Threading.Channels;
using Forgeline.Core.Client;
using Forgeline.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Worker.Tests;

/// <summary>
/// The job log on fake time: a batch goes <see cref="JobLog.FlushInterval"/> after the first unsent byte with everything
/// written meanwhile, nothing is sent while nothing is written, and the tail handed to the completion is what was never
/// sent, at the right offset. The server is a stand-in for <c>POST /api/v1/jobs/{lease}/log?offset=</c> that records each
/// append.
/// </summary>
public sealed class JobLogTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeClock clock = new();
    private readonly Channel<(long Offset, string Text)> appends = Channel.CreateUnbounded<(long, string)>();
    private readonly WebApplication app = LoopbackWebApp.Create();
    private ForgelineClient client = null!;

    public async Task InitializeAsync()
    {
        app.MapPost("/api/v1/jobs/{lease}/log", async (long offset, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            await appends.Writer.WriteAsync((offset, await reader.ReadToEndAsync()));
            return Results.NoContent();
        });
        client = new ForgelineClient(await LoopbackWebApp.StartAsync(app), token: null);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Lines_written_within_one_interval_go_together_and_the_unsent_rest_is_the_tail()
    {
        await using var log = new JobLog(client, "lease-1", initialLength: 0, clock);
        clock.Advance(JobLog.FlushInterval * 5);
        appends.Reader.TryRead(out _).ShouldBeFalse("nothing written, nothing sent");

        await log.LineAsync("one");
        await clock.WaitForTimerAsync(left => left == JobLog.FlushInterval, Patience);
        clock.Advance(JobLog.FlushInterval / 2);
        await log.LineAsync("two");
        appends.Reader.TryRead(out _).ShouldBeFalse("the first line waits for the interval");
        clock.Advance(JobLog.FlushInterval / 2);

        (await appends.Reader.ReadAsync().AsTask().WaitAsync(Patience)).ShouldBe((0L, "forgeline: one\nforgeline: two\n"));
        await log.LineAsync("three");
        var (offset, tail) = await log.DetachTailAsync();
        offset.ShouldBe(30);
        Encoding.UTF8.GetString(tail).ShouldBe("forgeline: three\n");
        clock.Advance(JobLog.FlushInterval * 5);
        appends.Reader.TryRead(out _).ShouldBeFalse("a detached tail is the completion's to send");
    }
}

using System.Text;
using Forgeline.Core;
using Forgeline.Core.Client;
using Forgeline.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Worker.Tests;

/// <summary>
/// The worker's real transfer over HTTP checks what it downloads against the digest it asked for. The server here is
/// a stand-in for <c>GET /api/v1/blobs/{sha256}</c> that answers with the wrong bytes for one digest, as a server with a
/// damaged store or a broken proxy would.
/// </summary>
public sealed class ServerJobTransferTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-transfer");

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_blob_is_kept_only_when_its_bytes_match_the_digest()
    {
        var right = Encoding.UTF8.GetBytes("the RPM the server stores\n");
        var good = await Sha256Hex.OfStreamAsync(new MemoryStream(right));
        var damaged = new string('d', 64);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/api/v1/blobs/{sha256}", (string sha256) => Results.Bytes(sha256 == good ? right : Encoding.UTF8.GetBytes("other bytes\n"), "application/octet-stream"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new ForgelineClient(new Uri(url + "/"), token: null);
        var transfer = new ServerJobTransfer(client, "lease-test");

        await transfer.DownloadBlobAsync(good, home["good.rpm"], CancellationToken.None);
        var error = await Should.ThrowAsync<InvalidDataException>(() => transfer.DownloadBlobAsync(damaged, home["damaged.rpm"], CancellationToken.None));

        (await File.ReadAllBytesAsync(home["good.rpm"])).ShouldBe(right);
        error.Message.ShouldStartWith("download of damaged.rpm is corrupt: sha256 ");
        error.Message.ShouldEndWith($", expected {damaged}");
        Directory.EnumerateFiles(home.Path).Select(Path.GetFileName).ShouldBe(["good.rpm"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task An_upload_the_server_cannot_store_for_now_is_sent_again_and_a_refused_one_is_not()
    {
        var rpm = home["hello-1.0-1.noarch.rpm"];
        await File.WriteAllTextAsync(rpm, "the built package\n");
        var tries = new Dictionary<string, int>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        // Lease "full": the server's disk is full twice, then it takes the file. Lease "refused": a 400, for good.
        app.MapPut("/api/v1/jobs/{lease}/artifacts/{name}", async (string lease, HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            lock (tries)
            {
                tries[lease] = tries.GetValueOrDefault(lease) + 1;
                return lease == "refused" ? Results.Problem(title: "Bad request", detail: "not an RPM", statusCode: 400)
                    : tries[lease] <= 2 ? Results.Problem(title: "Insufficient storage", detail: "The server's artifact store is full", statusCode: 507)
                    : Results.Created();
            }
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new ForgelineClient(new Uri(url + "/"), token: null);
        var log = new CollectingBuildLog();

        await new ServerJobTransfer(client, "full", log).UploadArtifactAsync("rpm", rpm, CancellationToken.None);
        tries["full"].ShouldBe(3);
        log.Text.ShouldContain("the server did not take hello-1.0-1.noarch.rpm (Insufficient storage: The server's artifact store is full); sending it again in 1 s");
        log.Text.ShouldContain("sending it again in 2 s");
        File.Exists(rpm).ShouldBeTrue("the file is the worker's until the job ends");

        var refused = await Should.ThrowAsync<ForgelineApiException>(() => new ServerJobTransfer(client, "refused", log).UploadArtifactAsync("rpm", rpm, CancellationToken.None));
        refused.Detail.ShouldBe("not an RPM");
        tries["refused"].ShouldBe(1, "a refusal is not retried");
        await app.StopAsync();
    }
}

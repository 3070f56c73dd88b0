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
}

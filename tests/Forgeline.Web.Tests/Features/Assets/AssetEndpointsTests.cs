using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Forgeline.Web.Features.Assets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Forgeline.Web.Tests.Features.Assets;

public sealed class AssetEndpointsTests : IAsyncLifetime
{
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        app = builder.Build();
        app.MapAssetEndpoints();
        await app.StartAsync();
        client = app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task The_vendored_xterm_is_served_byte_for_byte_as_the_readme_lists_it_and_kept_for_good_at_its_versioned_url()
    {
        var url = EmbeddedAssets.Url("vendor/xterm/xterm.js");
        url.ShouldStartWith("/assets/vendor/xterm/xterm.js?v=");

        using var response = await client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        response.Headers.CacheControl!.ToString().ShouldBe("public, max-age=31536000, immutable");
        var body = await response.Content.ReadAsByteArrayAsync();
        Convert.ToHexStringLower(SHA256.HashData(body)).ShouldBe("14903579ff54664cd72f8e8699e6961a6272c21863ec1c3b118cdc8af5d4a972");
    }

    [Fact]
    public async Task Gzip_is_sent_to_browsers_that_ask_and_unpacks_to_the_same_bytes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/vendor/xterm/xterm.css");
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");

        using var response = await client.SendAsync(request);

        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        plain.ToArray().ShouldBe(EmbeddedAssets.Find("vendor/xterm/xterm.css")!.Content);
    }

    [Fact]
    public async Task A_known_etag_gets_304()
    {
        using var first = await client.GetAsync("/assets/playground/playground.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/playground/playground.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await client.SendAsync(request);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("/assets/nothing.js")]
    [InlineData("/assets/vendor/xterm/README.md")]
    [InlineData("/assets/../Forgeline.Web.dll")]
    [InlineData("/assets/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/assets/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/assets/vendor//xterm/xterm.js")]
    [InlineData("/assets/VENDOR/xterm/xterm.js")]
    public async Task Anything_not_embedded_is_404(string url)
    {
        using var response = await client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void The_assembly_carries_the_scripts_styles_and_xterm_with_its_licenses_but_not_the_readme()
    {
        EmbeddedAssets.Paths.ShouldBe(
            ["builds/build-log.js", "images/image-matrix.js", "images/image-run.js", "images/images.css",
             "meetings/meetings.css", "meetings/meetings.js",
             "playground/playground-list.js", "playground/playground-sessions.js", "playground/playground.css", "playground/playground.js",
             "vendor/xterm/LICENSE.addon-fit", "vendor/xterm/LICENSE.xterm", "vendor/xterm/addon-fit.js", "vendor/xterm/xterm.css", "vendor/xterm/xterm.js"],
            ignoreOrder: true);
    }
}

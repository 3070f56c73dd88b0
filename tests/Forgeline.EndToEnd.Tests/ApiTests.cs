using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Tokens;
using Forgeline.Core.Workers;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>The HTTP API's contract: scopes, ProblemDetails, operations endpoints, token storage, the committed OpenAPI document.</summary>
public sealed class ApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task Every_mutating_call_needs_a_token_and_the_right_scope()
    {
        using var admin = Server.Client();
        var worker = await admin.CreateTokenAsync(new CreateTokenRequest("scope-test-worker", ["worker"]));
        var builder = await admin.CreateTokenAsync(new CreateTokenRequest("scope-test-builder", ["build"]));
        using var anonymous = Raw(null);
        using var asWorker = Raw(worker.Token);
        using var asBuilder = Raw(builder.Token);
        var submit = JsonContent.Create(new SubmitBuildRequest(new BuildSource(SourceKind.Git, Url: "https://example.invalid/x.git")));
        var lease = JsonContent.Create(new LeaseRequest("w", "x86_64", 1, 0));

        (await anonymous.PostAsync("api/v1/builds", submit)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("api/v1/builds/1/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("api/v1/workers/lease", lease)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("api/v1/uploads?kind=srpm", new ByteArrayContent([1]))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await asWorker.PostAsync("api/v1/builds", submit)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asBuilder.PostAsync("api/v1/workers/lease", lease)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asBuilder.PostAsync("api/v1/tokens", JsonContent.Create(new CreateTokenRequest("x", ["admin"])))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asBuilder.PostAsync("api/v1/builds", submit)).StatusCode.ShouldBe(HttpStatusCode.Created);

        await admin.RevokeTokenAsync("scope-test-builder");
        (await asBuilder.PostAsync("api/v1/builds", submit)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("api/v1/builds")).StatusCode.ShouldBe(HttpStatusCode.OK, "reading is public");
    }

    [Fact]
    public async Task Errors_are_problem_details()
    {
        using var http = Raw(Server.AdminToken);
        using var response = await http.GetAsync("api/v1/builds/31337");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("there is no build 31337");

        using var unauthorized = await Raw(null).PostAsync("api/v1/builds/1/cancel", null);
        unauthorized.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Health_readiness_and_metrics_answer()
    {
        using var http = Raw(null);
        (await http.GetStringAsync("healthz")).ShouldBe("ok\n");
        (await http.GetStringAsync("readyz")).ShouldBe("ready\n");
        var before = await PrometheusScrape.FetchAsync(Server.Url);
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "metered");
        (await Server.CliAsync("build", dir, "--follow")).ExitCode.ShouldBe(0);

        // Anonymous, as Prometheus scrapes: the names and types are those documented in docs/operations.md.
        using var response = await http.GetAsync("metrics");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var after = await PrometheusScrape.FetchAsync(Server.Url);
        after.TypeOf("forgeline_builds").ShouldBe("gauge");
        after.TypeOf("forgeline_queue_length").ShouldBe("gauge");
        after.TypeOf("forgeline_workers_online").ShouldBe("gauge");
        after.TypeOf("forgeline_build_duration_seconds").ShouldBe("histogram");
        foreach (var state in new[] { "queued", "running", "succeeded", "failed", "canceled" })
        {
            after.Has("forgeline_builds", ("state", state)).ShouldBeTrue($"every state is listed, also at 0: {state}\n{after.Text}");
        }

        after.Has("forgeline_queue_length", ("otel_scope_name", "Forgeline.Builds")).ShouldBeTrue(after.Text);
        after.Has("target_info", ("service_name", "forgeline")).ShouldBeTrue(after.Text);
        after.Sum("forgeline_workers_online").ShouldBeGreaterThanOrEqualTo(1, after.Text);
        // At least this build (another test's build may end meanwhile).
        after.Sum("forgeline_builds", ("state", "succeeded")).ShouldBeGreaterThanOrEqualTo(before.Sum("forgeline_builds", ("state", "succeeded")) + 1, after.Text);
        after.Sum("forgeline_build_duration_seconds_count", ("state", "succeeded")).ShouldBeGreaterThanOrEqualTo(before.Sum("forgeline_build_duration_seconds_count", ("state", "succeeded")) + 1, after.Text);
        after.Sum("forgeline_build_duration_seconds_sum", ("state", "succeeded")).ShouldBeGreaterThan(before.Sum("forgeline_build_duration_seconds_sum", ("state", "succeeded")));
        // The explicit buckets: a tiny build lands in the first (5 s), and +Inf counts every build.
        after.Has("forgeline_build_duration_seconds_bucket", ("state", "succeeded"), ("le", "5")).ShouldBeTrue(after.Text);
        after.Has("forgeline_build_duration_seconds_bucket", ("state", "succeeded"), ("le", "10800")).ShouldBeTrue(after.Text);
        after.Sum("forgeline_build_duration_seconds_bucket", ("state", "succeeded"), ("le", "+Inf"))
            .ShouldBe(after.Sum("forgeline_build_duration_seconds_count", ("state", "succeeded")));
    }

    [Fact]
    public async Task The_admin_token_is_private_and_stored_only_hashed()
    {
        var path = Server.Home["data/admin-token"];
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var client = Server.Client();
        (await client.WhoAmIAsync()).Scopes.ShouldBe(["admin"]);
        var secret = Encoding.UTF8.GetBytes(Server.AdminToken);
        foreach (var file in Directory.GetFiles(Server.Home["data"], "forgeline.db*"))
        {
            var bytes = await ReadSharedAsync(file);
            bytes.AsSpan().IndexOf(secret).ShouldBe(-1, $"{Path.GetFileName(file)} holds the token in clear");
        }

        var tokens = await client.ListTokensAsync();
        JsonSerializer.Serialize(tokens).ShouldNotContain(Server.AdminToken);
    }

    [Fact]
    public async Task The_served_openapi_document_is_the_committed_one()
    {
        using var http = Raw(null);
        var served = Normalize(await http.GetStringAsync("openapi/v1.json"));
        var committedPath = Path.Combine(ForgelineBinary.RepositoryRoot, "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("FORGELINE_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, served);
        }

        File.Exists(committedPath).ShouldBeTrue("docs/openapi.json is missing; run the tests with FORGELINE_UPDATE_OPENAPI=1");
        served.ShouldBe(await File.ReadAllTextAsync(committedPath),
            "the API changed: review it, then run the tests with FORGELINE_UPDATE_OPENAPI=1 to update docs/openapi.json");
        served.ShouldContain("/api/v1/builds");
    }

    private HttpClient Raw(string? token)
    {
        var http = new HttpClient { BaseAddress = Server.Url };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static string Normalize(string json)
    {
        // The server's address is not part of the contract.
        using var doc = JsonDocument.Parse(json);
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        root.Remove("servers");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Forgeline.Bot.Plugins.Ci;
using Forgeline.Bot.Tests.Plugins;
using Forgeline.Web.Features.Bot;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Forgeline.Bot.Tests.Jobs;

/// <summary><c>POST /api/v1/bot/jobs/{id}/status</c> over real HTTP (Kestrel on loopback), as a job calls it.</summary>
public sealed class BotJobEndpointsTests : IAsyncLifetime
{
    private readonly LoopbackHttpServer ci = new(_ => (200, "{}"));
    private readonly HttpClient http = new();
    private JobsHost host = null!;
    private WebApplication app = null!;
    private long runId;
    private string token = "";

    public async Task InitializeAsync()
    {
        host = await JobsHost.CreateAsync([TestPlugins.Create<CiPlugin>()]);
        host.Harness.RepoConfig.Jobs = [new JobConfig { Name = "smoke", Url = ci.BaseUrl + "start" }];
        host.Harness.Forge.Collaborators.Add("maintainer");
        host.Harness.Forge.AddPull(1, "maintainer");
        await host.Harness.SendAsync(host.Harness.EventFor(1, BotEventKind.PullRequest, "opened", "maintainer"));
        var body = JsonDocument.Parse(ci.Requests.Single().Body).RootElement;
        token = body.GetProperty("report_token").GetString()!;
        runId = (await host.RunsAsync()).Single().Id;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        host.Register(builder.Services);
        app = builder.Build();
        app.MapBotJobEndpoints();
        await app.StartAsync();
        http.BaseAddress = new Uri(app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        await host.DisposeAsync();
        await ci.DisposeAsync();
    }

    [Fact]
    public async Task The_job_reports_with_its_token_as_bearer()
    {
        using var response = await PostAsync(runId, token, new { state = "success", description = "40 tests passed", url = "https://ci.example/7" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var run = (await response.Content.ReadFromJsonAsync<JobRunView>())!;
        (run.Id, run.State, run.DetailsUrl).ShouldBe((runId, "success", "https://ci.example/7"));
        host.Harness.Forge.Statuses["abc123"]["forgeline/smoke"].ShouldBe(new CommitStatus("forgeline/smoke", CommitState.Success, "40 tests passed", "https://ci.example/7"));
    }

    [Theory]
    [InlineData("wrong", "success", HttpStatusCode.Unauthorized)]
    [InlineData(null, "success", HttpStatusCode.Unauthorized)]
    [InlineData("right", "finished", HttpStatusCode.BadRequest)]
    [InlineData("right", "Success", HttpStatusCode.BadRequest)]
    public async Task Bad_tokens_and_states_are_problems(string? which, string state, HttpStatusCode expected)
    {
        using var response = await PostAsync(runId, which == "right" ? token : which, new { state });

        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await host.RunsAsync()).Single().State.ShouldBe("pending");
    }

    [Fact]
    public async Task An_unknown_run_is_not_found()
    {
        using var response = await PostAsync(runId + 1, token, new { state = "success" });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_token_sent_another_way_than_bearer_is_not_taken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/bot/jobs/{runId}/status") { Content = JsonContent.Create(new { state = "success" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"job:{token}")));

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private Task<HttpResponseMessage> PostAsync(long id, string? bearer, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/bot/jobs/{id}/status") { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return http.SendAsync(request);
    }
}

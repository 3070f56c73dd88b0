using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// A real <c>forgeline server</c> whose review bot talks to the in-process fake forge, with a bot.yaml enabling
/// <paramref name="plugins"/> for the given repositories on all three forges, and helpers that sign deliveries as each forge signs them.
/// </summary>
internal sealed class BotServer : IAsyncDisposable
{
    public const string Secret = "webhook-secret-for-tests";

    private BotServer(FakeForge forge, ForgelineServer server, TempDirectory config)
    {
        Forge = forge;
        Server = server;
        Config = config;
    }

    public FakeForge Forge { get; }

    public ForgelineServer Server { get; }

    public TempDirectory Config { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<BotServer> StartAsync(string plugins, IDictionary<string, string?>? settings = null, string jobs = "[]", bool embeddedWorker = false, string repos = "")
    {
        var forge = await FakeForge.StartAsync();
        var config = new TempDirectory("forgeline-bot-config");
        var yaml = $$"""
            bot_login: {{forge.State.BotLogin}}
            community: openeuler
            public_url: http://forgeline.example
            forges:
              github: { api_url: "{{forge.GitHubUrl}}", token: "{{forge.State.Token}}", webhook_secret: "{{Secret}}" }
              gitee: { api_url: "{{forge.GiteeUrl}}", token: "{{forge.State.Token}}", webhook_secret: "{{Secret}}" }
              gitlab: { api_url: "{{forge.GitLabUrl}}", token: "{{forge.State.Token}}", webhook_secret: "{{Secret}}" }
            repos:
              default:
                plugins: [{{plugins}}]
                jobs: {{jobs}}
            {{repos}}
            """;
        await File.WriteAllTextAsync(config["bot.yaml"], yaml);
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["FORGELINE_BOT_CONFIG"] = config["bot.yaml"],
            ["Forgeline__Bot__SweepSeconds"] = "1",
        };
        var server = await ForgelineServer.StartAsync(embeddedWorker, settings: environment);
        return new BotServer(forge, server, config);
    }

    /// <summary>A fixture with edits applied (JSON paths as property chains).</summary>
    public static byte[] Edit(string fixture, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(WebhookFixtures.Read(fixture))!;
        edit(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>Posts a GitHub delivery signed with X-Hub-Signature-256.</summary>
    public Task<HttpResponseMessage> GitHubAsync(string eventName, byte[] body, string? deliveryId = null, string? signature = null)
    {
        var request = Post("github", body);
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", signature ?? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));
        return Http.SendAsync(request);
    }

    /// <summary>Posts a Gitee delivery signed as Gitee signs (timestamp + HMAC of "timestamp\nsecret").</summary>
    public Task<HttpResponseMessage> GiteeAsync(string eventName, byte[] body)
    {
        var request = Post("gitee", body);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.Add("X-Gitee-Event", eventName);
        request.Headers.Add("X-Gitee-Timestamp", timestamp);
        request.Headers.Add("X-Gitee-Token", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{Secret}"))));
        return Http.SendAsync(request);
    }

    /// <summary>Posts a GitLab delivery with its secret token.</summary>
    public Task<HttpResponseMessage> GitLabAsync(string eventName, byte[] body)
    {
        var request = Post("gitlab", body);
        request.Headers.Add("X-Gitlab-Event", eventName);
        request.Headers.Add("X-Gitlab-Token", Secret);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Forge.DisposeAsync();
        Config.Dispose();
    }

    private HttpRequestMessage Post(string forge, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, new Uri(Server.Url, $"hooks/{forge}")) { Content = content };
    }
}

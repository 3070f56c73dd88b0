using Forgeline.Bot.Forges.GitHub;
using Forgeline.Bot.Forges.GitLab;
using Forgeline.Bot.Forges.Gitee;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Forges;

/// <summary>One API client per forge in the bot's configuration, made once and shared (they are thread-safe).</summary>
public sealed class ForgeClients(BotRuntime runtime, IHttpClientFactory http, TimeProvider time, ForgeMetrics metrics, ILoggerFactory loggers) : IForgeClients
{
    /// <summary>The named <see cref="HttpClient"/> the API client of <paramref name="forge"/> (github, gitee, gitlab) uses.</summary>
    public static string HttpClientName(string forge) => $"forge-{forge}";

    private readonly Lazy<Dictionary<Forge, IForgeClient>> clients = new(() => Create(runtime, http, time, metrics, loggers));

    /// <inheritdoc />
    public IForgeClient? For(Forge forge) => clients.Value.GetValueOrDefault(forge);

    private static Dictionary<Forge, IForgeClient> Create(BotRuntime runtime, IHttpClientFactory http, TimeProvider time, ForgeMetrics metrics, ILoggerFactory loggers)
    {
        var made = new Dictionary<Forge, IForgeClient>();
        var logger = loggers.CreateLogger<ForgeHttp>();
        foreach (var (name, settings) in runtime.Config?.Forges ?? [])
        {
            var forge = Enum.Parse<Forge>(name, ignoreCase: true);
            var options = new ForgeClientOptions(new Uri(settings.ApiUrl!), runtime.Token(forge)!);
            var client = http.CreateClient(HttpClientName(name));
            made[forge] = forge switch
            {
                Forge.GitHub => new GitHubClient(client, options, time, metrics, logger),
                Forge.Gitee => new GiteeClient(client, options, time, metrics, logger),
                _ => new GitLabClient(client, options, time, metrics, logger),
            };
        }

        return made;
    }
}

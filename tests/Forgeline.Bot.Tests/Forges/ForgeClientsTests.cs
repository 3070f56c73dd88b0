using Forgeline.Bot.Forges;
using Forgeline.Core;
using Forgeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>The forge API clients as the server registers them.</summary>
public sealed class ForgeClientsTests
{
    [Fact]
    public async Task Forge_requests_are_not_logged_one_by_one_by_the_http_client_factory()
    {
        await using var forge = await FakeForge.StartAsync();
        forge.State.AddCollaborator(Forge.GitHub, "octo/hello", "bob");
        using var home = new TempDirectory("forgeline-bot-clients");
        await File.WriteAllTextAsync(home["bot.yaml"], $"forges:\n  github: {{ api_url: \"{forge.GitHubUrl}\", token: \"{forge.State.Token}\" }}\n");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Forgeline:Bot:Config"] = home["bot.yaml"] }).Build();
        var logs = new RecordingLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(new ForgelinePaths(home["data"]));
        collection.AddForgelineBot(configuration, runProcessor: false);
        await using var services = collection.BuildServiceProvider();

        var client = services.GetRequiredService<IForgeClients>().For(Forge.GitHub)!;
        (await client.IsCollaboratorAsync(new RepoRef(Forge.GitHub, "octo", "hello"), "bob", CancellationToken.None)).ShouldBeTrue();
        // Any other client still logs as the factory does, so the recording would have seen these lines.
        using var other = services.GetRequiredService<IHttpClientFactory>().CreateClient("other");
        using var answer = await other.GetAsync(new Uri(forge.GitHubUrl, "repos/octo/hello/collaborators/bob"));

        forge.Calls.Count.ShouldBe(2);
        logs.Entries.ShouldContain(e => e.Category.StartsWith("System.Net.Http.HttpClient.other", StringComparison.Ordinal));
        logs.Entries.ShouldNotContain(e => e.Category.StartsWith("System.Net.Http.HttpClient.forge-", StringComparison.Ordinal));
    }
}

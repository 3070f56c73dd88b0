using System.Collections.Immutable;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.BotDeliveries;

/// <summary>
/// The fake forge as the deliveries expect it: the fixtures' repository with the reviewers as collaborators and in the
/// root OWNERS at the base branch, and every pull request the deliveries name open, by the fixtures' author, changing
/// one file. Also writes the bot's configuration pointing at it.
/// </summary>
internal static class BenchForge
{
    /// <summary>Arranges the repository and pull requests <paramref name="pulls"/>.</summary>
    public static void Seed(FakeForgeState state, IEnumerable<int> pulls)
    {
        const string repository = BenchDeliveries.Repository;
        state.AddRepository(Forge.GitHub, repository, BenchDeliveries.BaseBranch);
        foreach (var reviewer in BenchDeliveries.Reviewers)
        {
            state.AddCollaborator(Forge.GitHub, repository, reviewer);
        }

        var logins = string.Concat(BenchDeliveries.Reviewers.Select(r => $"  - {r}\n"));
        state.SetFile(Forge.GitHub, repository, BenchDeliveries.BaseBranch, "OWNERS", $"approvers:\n{logins}reviewers:\n{logins}");
        foreach (var pull in pulls)
        {
            state.AddIssue(Forge.GitHub, repository, new FakeIssue(pull, true, BenchDeliveries.Author, $"Benchmark pull request {pull}")
            {
                HeadSha = Convert.ToHexStringLower(BitConverter.GetBytes((long)pull)).PadLeft(40, '0'),
                BaseRef = BenchDeliveries.BaseBranch,
                HeadRef = $"change-{pull}",
                ChangedFiles = ImmutableList.Create(new FakeChangedFile("src/hello.c")),
            });
        }
    }

    /// <summary>Writes bot.yaml: GitHub's API at the fake, the webhook secret, and the review plugins on the repository.</summary>
    public static string WriteConfig(string path, FakeForge forge, string secret)
    {
        File.WriteAllText(path, $"""
            bot_login: forgeline-bot
            forges:
              github:
                api_url: {forge.GitHubUrl}
                token: {forge.State.Token}
                webhook_secret: {secret}
            repos:
              {BenchDeliveries.Repository}:
                plugins: [lgtm, approve, hold, label]
            """);
        return path;
    }
}

using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Webhooks;

/// <summary>The webhook format of each forge.</summary>
public static class ForgeWebhooks
{
    private static readonly GitHubWebhook GitHub = new();
    private static readonly GiteeWebhook Gitee = new();
    private static readonly GitLabWebhook GitLab = new();

    /// <summary>The format <paramref name="forge"/> sends.</summary>
    public static IForgeWebhook For(Forge forge) => forge switch
    {
        Forge.GitHub => GitHub,
        Forge.Gitee => Gitee,
        Forge.GitLab => GitLab,
        _ => throw new ArgumentOutOfRangeException(nameof(forge), forge, "no webhook format for this forge"),
    };
}

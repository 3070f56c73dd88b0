namespace Forgeline.Bot.Forges;

/// <summary>The code forges the bot speaks to.</summary>
public enum Forge
{
    /// <summary>github.com or GitHub Enterprise (REST v3).</summary>
    GitHub,

    /// <summary>gitee.com (REST v5).</summary>
    Gitee,

    /// <summary>gitlab.com or a self-hosted GitLab (REST v4).</summary>
    GitLab,
}

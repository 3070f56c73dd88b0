namespace Forgeline.Bot.Forges;

/// <summary>A repository on a forge. <see cref="Owner"/> may hold slashes on GitLab (groups and subgroups).</summary>
/// <param name="Forge">The forge.</param>
/// <param name="Owner">The user, organisation or group path.</param>
/// <param name="Name">The repository (GitLab: project) name.</param>
public sealed record RepoRef(Forge Forge, string Owner, string Name)
{
    /// <summary>owner/name, the key the configuration and the bot's state use.</summary>
    public string FullName => $"{Owner}/{Name}";

    /// <summary>The top-level organisation (the first segment of <see cref="Owner"/>).</summary>
    public string Organisation => Owner.Split('/')[0];

    /// <inheritdoc />
    public override string ToString() => $"{Forge.ToString().ToLowerInvariant()}:{FullName}";
}

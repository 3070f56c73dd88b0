namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>playground_environments</c> table: an environment of the playground, owned by <c>Forgeline.Playground</c>.</summary>
public sealed class PlaygroundEnvironmentRecord
{
    /// <summary>Unique name, e.g. <c>git-course</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The definition as the admin wrote it, as JSON.</summary>
    public required string Definition { get; set; }

    /// <summary>sha256 of the image part: the image's cache key on every host.</summary>
    public required string ImageDigest { get; set; }

    /// <summary>When it was made or last replaced (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}

namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>artifacts</c> table: a file of a build, stored in the content-addressed store by digest.</summary>
public sealed class ArtifactRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The build it belongs to.</summary>
    public long BuildId { get; set; }

    /// <summary>File name.</summary>
    public required string Name { get; set; }

    /// <summary><c>rpm</c>, <c>srpm</c> or <c>log</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Lower-case hex sha256.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }
}

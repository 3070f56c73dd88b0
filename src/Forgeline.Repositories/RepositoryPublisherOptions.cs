using System.ComponentModel.DataAnnotations;

namespace Forgeline.Repositories;

/// <summary>How a <see cref="RepositoryPublisher"/> runs createrepo_c and how much history it keeps.</summary>
public sealed class RepositoryPublisherOptions
{
    /// <summary>The createrepo_c program: a name looked up on PATH, or a full path.</summary>
    [Required]
    public string CreaterepoPath { get; set; } = "createrepo_c";

    /// <summary>
    /// Metadata generations kept, the served one included. A dnf that fetched an older repomd.xml can still fetch the
    /// files it names (and the packages they list) until that many newer publishes happened.
    /// </summary>
    [Range(2, 100)]
    public int GenerationsKept { get; set; } = 3;

    /// <summary>createrepo_c's <c>--workers</c>; null for its default.</summary>
    [Range(1, 256)]
    public int? CreaterepoWorkers { get; set; }
}

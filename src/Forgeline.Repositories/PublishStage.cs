namespace Forgeline.Repositories;

/// <summary>The points of a publish where the test hook runs: fault injection throws there to play a crash.</summary>
internal enum PublishStage
{
    /// <summary>Another publish holds the repository's lock; this one waits.</summary>
    WaitingForLock,

    /// <summary>Every package is in the pool, verified; no metadata made yet.</summary>
    PoolFilled,

    /// <summary>createrepo_c wrote the new generation's metadata; it is not signed yet.</summary>
    MetadataGenerated,

    /// <summary>repomd.xml.asc is written and the previous generations' files are carried over; readers still see the old generation.</summary>
    Signed,

    /// <summary>The repodata link points at the new generation; nothing is pruned yet.</summary>
    Switched,

    /// <summary>Package files only old generations used are deleted; the old generations' directories are not yet.</summary>
    Pruning,
}

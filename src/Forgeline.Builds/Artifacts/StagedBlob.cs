namespace Forgeline.Builds.Artifacts;

/// <summary>An upload received and hashed but not yet in the store; disposing it without committing deletes it.</summary>
public sealed class StagedBlob : IDisposable
{
    private readonly ArtifactStore store;
    private bool committed;

    internal StagedBlob(ArtifactStore store, string path)
    {
        this.store = store;
        Path = path;
    }

    /// <summary>Where the staged bytes are, for inspection before commit.</summary>
    public string Path { get; }

    /// <summary>Digest of the content.</summary>
    public string Sha256 { get; internal set; } = "";

    /// <summary>Size of the content.</summary>
    public long Size { get; internal set; }

    /// <summary>Moves the blob into the store under its digest.</summary>
    public void Commit()
    {
        store.Commit(this);
        committed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!committed)
        {
            File.Delete(Path);
        }
    }
}

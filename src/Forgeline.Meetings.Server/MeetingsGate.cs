namespace Forgeline.Meetings.Server;

/// <summary>
/// One booking or change at a time on this server, so two requests cannot both pass the conflict check for the same
/// hour. (Replicas behind one database each have their own gate; see docs/meetings.md.)
/// </summary>
public sealed class MeetingsGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Waits for the gate.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => gate.WaitAsync(cancellationToken);

    /// <summary>Opens it again.</summary>
    public void Release() => gate.Release();

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();
}

namespace Forgeline.Worker;

/// <summary>How <see cref="BuildAgent.RunOnceAsync"/> (<c>forgeline worker --once</c>) ended.</summary>
public enum SingleJobResult
{
    /// <summary>A job was leased and run (whatever its outcome).</summary>
    RanJob,

    /// <summary>No job came within the wait.</summary>
    NoJob,

    /// <summary>The server could not be reached within the wait.</summary>
    ServerUnreachable,
}

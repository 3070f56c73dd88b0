namespace Forgeline.Worker;

/// <summary>Where a job's log goes: the build's own output and the worker's lines about it.</summary>
public interface IBuildLog
{
    /// <summary>Adds output of the build.</summary>
    Task WriteAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Adds a line written by the worker itself (prefixed <c>forgeline: </c>).</summary>
    Task LineAsync(string text);
}

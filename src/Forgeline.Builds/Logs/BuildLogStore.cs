using Forgeline.Core;
using System.Collections.Concurrent;

namespace Forgeline.Builds.Logs;

/// <summary>
/// Live build logs, one file per build under <c>&lt;data&gt;/logs</c>, appended by the worker holding the lease and
/// read by any number of followers, who are woken as bytes arrive.
/// </summary>
public sealed class BuildLogStore
{
    private readonly string root;
    private readonly ConcurrentDictionary<long, TaskCompletionSource> signals = new();
    private readonly ConcurrentDictionary<long, object> locks = new();

    /// <summary>A store under <paramref name="root"/>.</summary>
    public BuildLogStore(string root)
    {
        this.root = Path.GetFullPath(root);
        Directory.CreateDirectory(this.root);
    }

    /// <summary>Path of a build's live log.</summary>
    public string PathOf(long buildId) => Path.Combine(root, $"{buildId}.log");

    /// <summary>Current length of a build's log.</summary>
    public long LengthOf(long buildId)
    {
        var info = new FileInfo(PathOf(buildId));
        return info.Exists ? info.Length : 0;
    }

    /// <summary>Starts the log afresh (at submission, and empty for each new attempt, whose worker writes from offset 0).</summary>
    public void Reset(long buildId, string? firstLine)
    {
        lock (locks.GetOrAdd(buildId, _ => new object()))
        {
            File.WriteAllText(PathOf(buildId), firstLine is null ? "" : firstLine + "\n");
        }

        Notify(buildId);
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> written at <paramref name="offset"/>. Bytes the log already has are skipped,
    /// so a worker that retries a request does not duplicate lines; a gap is refused.
    /// </summary>
    public ServiceResult<long> Append(long buildId, long offset, ReadOnlySpan<byte> bytes, long limit)
    {
        lock (locks.GetOrAdd(buildId, _ => new object()))
        {
            using var file = new FileStream(PathOf(buildId), FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
            var length = file.Length;
            if (offset > length)
            {
                return ServiceResult<long>.Fail(ServiceError.Conflict, $"log offset {offset} is past the end of the log ({length} bytes)");
            }

            var skip = (int)Math.Min(bytes.Length, length - offset);
            if (length + bytes.Length - skip > limit)
            {
                return ServiceResult<long>.Fail(ServiceError.TooLarge, $"the build log is over its limit of {limit} bytes");
            }

            file.Seek(0, SeekOrigin.End);
            file.Write(bytes[skip..]);
            length = file.Length;
            Notify(buildId);
            return length;
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s size from <paramref name="offset"/>; 0 at the end.</summary>
    public int Read(long buildId, long offset, Span<byte> buffer)
    {
        var path = PathOf(buildId);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (offset >= file.Length)
        {
            return 0;
        }

        file.Seek(offset, SeekOrigin.Begin);
        return file.Read(buffer);
    }

    /// <summary>Completes at the next append to or reset of this build's log.</summary>
    public Task WaitForChangeAsync(long buildId) =>
        signals.GetOrAdd(buildId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes followers of a build (after appends, and when the build ends).</summary>
    public void Notify(long buildId)
    {
        if (signals.TryRemove(buildId, out var signal))
        {
            signal.TrySetResult();
        }
    }
}

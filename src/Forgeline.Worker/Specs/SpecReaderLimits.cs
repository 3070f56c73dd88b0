namespace Forgeline.Worker.Specs;

/// <summary>How much one spec read may take, so a spec that hangs or prints without end cannot hurt the host.</summary>
/// <param name="Timeout">Wall-clock limit over the whole read: fetching, unpacking and rpmspec.</param>
/// <param name="OutputLimitBytes">Most bytes the sandboxed commands may print (rpmspec's messages, a macro's stderr).</param>
/// <param name="FileLimitBytes">Largest file a command may write (<c>ulimit -f</c>), rpmspec's query results included.</param>
public sealed record SpecReaderLimits(TimeSpan Timeout, long OutputLimitBytes, long FileLimitBytes)
{
    /// <summary>5 minutes, 1 MiB of messages, files up to 64 MiB.</summary>
    public static SpecReaderLimits Default { get; } = new(TimeSpan.FromMinutes(5), 1024 * 1024, 64 * 1024 * 1024);
}

using System.ComponentModel.DataAnnotations;

namespace Forgeline.Data.Storage;

/// <summary>Disk-space settings of a server, bound from <c>Forgeline:Storage</c> (env <c>Forgeline__Storage__*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Storage";

    /// <summary>
    /// Free space, in MiB, the data directory and the artifact store must each keep: below it <c>/readyz</c> answers 503, so
    /// a load balancer sends work elsewhere before writes start failing. 0 checks only that the stores are writable.
    /// </summary>
    [Range(0, 1024 * 1024)]
    public long MinFreeMegabytes { get; set; } = 512;
}

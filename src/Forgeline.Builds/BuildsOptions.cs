using System.ComponentModel.DataAnnotations;

namespace Forgeline.Builds;

/// <summary>Settings of the build farm, bound from <c>Forgeline:Builds</c> (env <c>Forgeline__Builds__*</c>).</summary>
public sealed class BuildsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Builds";

    /// <summary>Architecture a build targets when the submitter names none.</summary>
    [Required]
    public string DefaultArch { get; set; } = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        _ => "x86_64",
    };

    /// <summary>Wall-clock limit of one build, in seconds.</summary>
    [Range(5, 7 * 24 * 3600)]
    public int TimeoutSeconds { get; set; } = 3 * 3600;

    /// <summary>A build whose log grows past this many bytes is stopped and fails.</summary>
    [Range(4096, long.MaxValue)]
    public long LogLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A worker's lease lapses unless renewed within this many seconds; its job is then queued again.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Attempts (lost workers) before a build fails for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Largest upload (source or artifact) accepted, in bytes.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How often expired leases are looked for, in seconds.</summary>
    [Range(1, 600)]
    public int ReapIntervalSeconds { get; set; } = 5;

    /// <summary>A worker unseen for this many seconds is shown as offline.</summary>
    [Range(5, 3600)]
    public int WorkerOfflineAfterSeconds { get; set; } = 90;

    /// <summary><c>fair</c> (the default: fair share across owners, priority within one) or <c>fifo</c> (oldest first; for comparison only).</summary>
    [RegularExpression("^(fair|fifo)$")]
    public string Scheduler { get; set; } = "fair";

    /// <summary>A waiting build rises one priority level per this many seconds, so low priority never means never.</summary>
    [Range(1, 86400)]
    public int AgingSeconds { get; set; } = 600;

    /// <summary>How often a server replica reloads the whole queue (it reads new builds every second in between).</summary>
    [Range(1, 3600)]
    public int QueueReloadSeconds { get; set; } = 60;

    /// <summary>A build queued again after a worker failure waits this long, doubled for each further attempt.</summary>
    [Range(0, 3600)]
    public int RetryBackoffSeconds { get; set; } = 10;

    /// <summary>Longest retry backoff, in seconds.</summary>
    [Range(0, 86400)]
    public int MaxRetryBackoffSeconds { get; set; } = 300;

    /// <summary>How long a build queued again after its <paramref name="attempt"/>th attempt waits.</summary>
    public TimeSpan RetryBackoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryBackoffSeconds, RetryBackoffSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));
}

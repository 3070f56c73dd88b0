namespace Forgeline.Bot.Dispatch;

/// <summary>What one plugin did with one event.</summary>
/// <param name="Plugin">The plugin.</param>
/// <param name="Outcome">done, failed or timeout.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="Error">Why it failed.</param>
public sealed record PluginOutcome(string Plugin, string Outcome, TimeSpan Duration, string? Error = null)
{
    /// <summary>It finished.</summary>
    public const string Done = "done";

    /// <summary>It threw.</summary>
    public const string Failed = "failed";

    /// <summary>It ran past its time limit.</summary>
    public const string TimedOut = "timeout";
}

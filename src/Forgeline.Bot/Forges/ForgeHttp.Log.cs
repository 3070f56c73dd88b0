using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Forges;

/// <summary>The forge sender's log messages (paths only: tokens never reach the log).</summary>
public sealed partial class ForgeHttp
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Forge} rate-limited {Method} {Path}; waiting {Seconds} s before trying again")]
    private partial void LogRateLimited(Forge forge, string method, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Forge} {Method} {Path} attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms")]
    private partial void LogRetrying(Forge forge, string method, string path, int attempt, string failure, double delayMs);
}

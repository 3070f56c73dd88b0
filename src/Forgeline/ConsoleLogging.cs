using Microsoft.Extensions.Logging.Console;

namespace Forgeline;

/// <summary>How a forgeline process writes its log lines to stdout.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line, UTC timestamps: for containers, journald and log shippers.</summary>
    Json,

    /// <summary>One readable line per entry (time, level, category, message): for a person at a terminal.</summary>
    Text,
}

/// <summary>The console log of every forgeline process: JSON lines by default, readable text at a terminal.</summary>
public static class ConsoleLogging
{
    /// <summary>The environment variable that chooses the format when no <c>--log-format</c> is given.</summary>
    public const string EnvironmentVariable = "FORGELINE_LOG_FORMAT";

    /// <summary>
    /// The format from <c>--log-format</c> (<paramref name="flag"/>), else <c>FORGELINE_LOG_FORMAT</c>, else text when stdout is a
    /// terminal and JSON when it is not (a container, a pipe, a file); null and a message naming the setting when the value is unknown.
    /// </summary>
    public static (LogFormat? Format, string? Problem) Choose(string? flag)
    {
        var (value, source) = flag is { Length: > 0 } ? (flag, "--log-format")
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? (fromEnvironment, EnvironmentVariable)
            : (null, null);
        return value?.ToLowerInvariant() switch
        {
            null => (Console.IsOutputRedirected ? LogFormat.Json : LogFormat.Text, null),
            "json" => (LogFormat.Json, null),
            "text" => (LogFormat.Text, null),
            _ => (null, $"{source} must be text or json, not '{value}'"),
        };
    }

    /// <summary>Replaces the default providers with the console in <paramref name="format"/>.</summary>
    public static ILoggingBuilder UseForgelineLogs(this ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Default;
            });
        }

        return logging;
    }
}

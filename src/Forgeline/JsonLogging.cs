namespace Forgeline;

/// <summary>The one log format of every forgeline process: JSON lines on stdout, UTC timestamps.</summary>
public static class JsonLogging
{
    /// <summary>Replaces the default providers with the JSON console.</summary>
    public static ILoggingBuilder UseForgelineJsonLogs(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        return logging;
    }
}

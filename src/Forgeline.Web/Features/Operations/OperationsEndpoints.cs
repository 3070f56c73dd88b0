using Forgeline.Core;
using Forgeline.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Web.Features.Operations;

/// <summary><c>/healthz</c> and <c>/readyz</c> (<c>/metrics</c> is <see cref="MetricsEndpoint"/>).</summary>
public static partial class OperationsEndpoints
{
    /// <summary>Maps the operational endpoints (outside the versioned API).</summary>
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n")).ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(ForgelineDbContext db, ForgelinePaths paths, Core.Events.IEventBusHealth events, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!events.IsHealthy)
        {
            problems.Add($"event bus: {events.Status}");
        }

        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            problems.Add("database unreachable");
        }

        try
        {
            var probe = Path.Combine(paths.Artifacts, "tmp", $".ready-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(probe, "", cancellationToken);
            File.Delete(probe);
        }
        catch (IOException e)
        {
            // The answer is public: the reason (it names server paths) goes to the log, for the operator.
            LogStoreNotWritable(loggers.CreateLogger(typeof(OperationsEndpoints)), e.Message);
            problems.Add("artifact store not writable (the server's log says why)");
        }

        return problems.Count == 0
            ? TypedResults.Text("ready\n")
            : TypedResults.Problem(title: "Not ready", detail: string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: the artifact store is not writable: {Reason}")]
    private static partial void LogStoreNotWritable(ILogger logger, string reason);
}

using Forgeline.Core;
using System.Data.Common;
using Forgeline.Data;
using Forgeline.Data.Storage;
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

    private static async Task<IResult> ReadyAsync(
        ForgelineDbContext db, ForgelinePaths paths, StorageHealth storage, Core.Events.IEventBusHealth events, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The answer is public: reasons that name server paths or SQL go to the log, for the operator.
        var logger = loggers.CreateLogger(typeof(OperationsEndpoints));
        var problems = new List<string>();
        if (!events.IsHealthy)
        {
            problems.Add($"event bus: {events.Status}");
        }

        try
        {
            await DatabaseWriteCheck.WriteAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            LogDatabaseNotWritable(logger, e.Message);
            var full = StorageFailure.Find(e) is not null;
            if (full)
            {
                storage.NoteFault();
            }

            problems.Add(full ? "database full" : "database does not accept writes (the server's log says why)");
        }

        problems.AddRange(storage.Shortages().Select(s => s.ToString()));
        var probe = Path.Combine(paths.Artifacts, "tmp", $".ready-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(probe, "ready", cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (StorageFailure.Find(e) is not null)
            {
                storage.NoteFault();
            }

            LogStoreNotWritable(logger, e.Message);
            problems.Add("artifact store not writable (the server's log says why)");
        }
        finally
        {
            // Also when the write failed half-way (a full disk creates the file, then refuses its bytes).
            TryDelete(probe);
        }

        return problems.Count == 0
            ? TypedResults.Text("ready\n")
            : TypedResults.Problem(title: "Not ready", detail: string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The store's tmp directory is gone or unwritable: already reported as not writable.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: the database does not accept writes: {Reason}")]
    private static partial void LogDatabaseNotWritable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: the artifact store is not writable: {Reason}")]
    private static partial void LogStoreNotWritable(ILogger logger, string reason);
}

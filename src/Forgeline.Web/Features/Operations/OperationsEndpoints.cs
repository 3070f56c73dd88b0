using System.Globalization;
using System.Text;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Web.Features.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Web.Features.Operations;

/// <summary><c>/healthz</c>, <c>/readyz</c> and Prometheus <c>/metrics</c>.</summary>
public static class OperationsEndpoints
{
    /// <summary>Maps the operational endpoints (outside the versioned API).</summary>
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok\n")).ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).ExcludeFromDescription();
        app.MapGet("/metrics", MetricsAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ReadyAsync(ForgelineDbContext db, ForgelinePaths paths, Core.Events.IEventBusHealth events, CancellationToken cancellationToken)
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
            problems.Add($"artifact store not writable: {e.Message}");
        }

        return problems.Count == 0
            ? TypedResults.Text("ready\n")
            : TypedResults.Problem(title: "Not ready", detail: string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> MetricsAsync(ForgelineDbContext db, WorkerService workers, BuildMetrics metrics, Forgeline.Bot.Dispatch.BotMetrics bot, CancellationToken cancellationToken)
    {
        var byState = await db.Builds.GroupBy(b => b.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var output = new StringBuilder();
        output.AppendLine("# HELP forgeline_builds Builds by state.");
        output.AppendLine("# TYPE forgeline_builds gauge");
        foreach (var state in Enum.GetValues<BuildState>())
        {
            output.Append(CultureInfo.InvariantCulture, $"forgeline_builds{{state=\"{state.ToApiName()}\"}} {byState.FirstOrDefault(s => s.State == state)?.Count ?? 0}\n");
        }

        output.AppendLine("# HELP forgeline_queue_length Builds waiting for a worker.");
        output.AppendLine("# TYPE forgeline_queue_length gauge");
        output.Append(CultureInfo.InvariantCulture, $"forgeline_queue_length {byState.FirstOrDefault(s => s.State == BuildState.Queued)?.Count ?? 0}\n");
        output.AppendLine("# HELP forgeline_workers_online Workers seen recently.");
        output.AppendLine("# TYPE forgeline_workers_online gauge");
        output.Append(CultureInfo.InvariantCulture, $"forgeline_workers_online {await workers.CountOnlineAsync(cancellationToken)}\n");
        metrics.WriteTo(output);
        bot.WriteTo(output);
        return TypedResults.Text(output.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }
}

using Forgeline.Core;
using Forgeline.Web.Auth;
using Forgeline.Web.Features.Accounts;
using Forgeline.Web.Features.Assets;
using Forgeline.Web.Features.Bot;
using Forgeline.Web.Features.Builds;
using Forgeline.Web.Features.Events;
using Forgeline.Web.Features.Images;
using Forgeline.Web.Features.Meetings;
using Forgeline.Web.Features.Operations;
using Forgeline.Web.Features.Playground;
using Forgeline.Web.Features.Projects;
using Forgeline.Web.Features.Signing;
using Forgeline.Web.Features.Targets;
using Forgeline.Web.Features.Tokens;
using Forgeline.Web.Features.Queue;
using Forgeline.Web.Features.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web;

/// <summary>Registers and maps the API and the UI.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>Adds authentication, ProblemDetails, OpenAPI, Razor Pages and the API's services.</summary>
    public static IServiceCollection AddForgelineWeb(this IServiceCollection services, IConfiguration configuration, ForgelinePaths paths)
    {
        services.AddForgelineAuth(configuration, paths.SessionKeys);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<StorageFullExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.WriteIndented = ForgelineJson.Options.WriteIndented;
        });
        services.AddOpenApi("v1");
        services.AddRazorPages();
        services.AddForgelineMetrics();

        return services;
    }

    /// <summary>Maps the routes of <paramref name="targets"/>, plus tokens, operations, the OpenAPI document and the pages they own.</summary>
    public static WebApplication MapForgelineWeb(this WebApplication app, ServerTargets targets = ServerTargets.All)
    {
        app.UsePublicUrl();
        // No page of Forgeline is meant to be framed: another site cannot overlay the sign-out, token or "approve
        // forgeline login" buttons (clickjacking).
        app.Use((context, next) =>
        {
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseCsrfProtection();
        app.UseAuthorization();
        if (targets != ServerTargets.All)
        {
            // Pages of a target this process does not run answer 404, as its API routes do (they are not mapped).
            app.Use(async (context, next) =>
            {
                var path = context.Request.Path.Value ?? "/";
                var owner = path is "/" || path.StartsWith("/builds", StringComparison.Ordinal) || path.StartsWith("/workers", StringComparison.Ordinal)
                        || path.StartsWith("/projects", StringComparison.Ordinal) || path.StartsWith("/repos", StringComparison.Ordinal)
                        || path.StartsWith("/playground", StringComparison.Ordinal)
                        || path.StartsWith("/images", StringComparison.Ordinal) ? ServerTargets.Api
                    : path.StartsWith("/keys", StringComparison.Ordinal) || path.StartsWith("/signatures", StringComparison.Ordinal) ? ServerTargets.Signer
                    : path.StartsWith("/bot", StringComparison.Ordinal) ? ServerTargets.Bot
                    : ServerTargets.None;
                if (owner != ServerTargets.None && !targets.HasFlag(owner))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(context);
            });
        }

        if (targets.HasFlag(ServerTargets.Api))
        {
            app.MapBuildEndpoints();
            app.MapTargetEndpoints();
            app.MapWorkerEndpoints();
            app.MapQueueEndpoints();
            app.MapProjectEndpoints();
            app.MapRepositoryEndpoints();
            app.MapPlaygroundEndpoints();
            app.MapImageEndpoints();
            app.MapMeetingEndpoints();
        }

        if (targets.HasFlag(ServerTargets.Bot))
        {
            app.MapBotEndpoints();
            app.MapBotJobEndpoints();
        }

        if (targets.HasFlag(ServerTargets.Api) || targets.HasFlag(ServerTargets.Events))
        {
            app.MapEventEndpoints();
        }

        app.MapAssetEndpoints();
        app.MapTokenEndpoints();
        app.MapAccountEndpoints();
        if (targets.HasFlag(ServerTargets.Signer))
        {
            app.MapKeyEndpoints();
        }

        app.MapOperationsEndpoints();
        app.MapMetricsEndpoint();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapRazorPages();
        return app;
    }
}

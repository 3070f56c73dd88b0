using Forgeline.Core;
using Forgeline.Web.Auth;
using Forgeline.Web.Features.Builds;
using Forgeline.Web.Features.Operations;
using Forgeline.Web.Features.Signing;
using Forgeline.Web.Features.Tokens;
using Forgeline.Web.Features.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web;

/// <summary>Registers and maps the API and the UI.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>Adds authentication, ProblemDetails, OpenAPI, Razor Pages and the API's services.</summary>
    public static IServiceCollection AddForgelineWeb(this IServiceCollection services)
    {
        services.AddForgelineAuth();
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.WriteIndented = ForgelineJson.Options.WriteIndented;
        });
        services.AddOpenApi("v1");
        services.AddRazorPages();
        services.AddScoped<WorkerDirectory>();
        return services;
    }

    /// <summary>Maps every route: API, operations, OpenAPI document and pages.</summary>
    public static WebApplication MapForgelineWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBuildEndpoints();
        app.MapWorkerEndpoints();
        app.MapTokenEndpoints();
        app.MapKeyEndpoints();
        app.MapOperationsEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapRazorPages();
        return app;
    }
}

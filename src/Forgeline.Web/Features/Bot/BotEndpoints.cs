using Forgeline.Bot.Api;
using Forgeline.Bot.Deliveries;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Bot;

/// <summary>Routes of the review bot: forge webhooks at <c>/hooks/{forge}</c>, its commands and its deliveries.</summary>
public static class BotEndpoints
{
    /// <summary>Maps the bot's routes.</summary>
    public static IEndpointRouteBuilder MapBotEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{forge}", HookAsync).AllowAnonymous().WithTags("Bot").Accepts<Stream>("application/json")
            .WithSummary("Webhook of a forge (github: X-Hub-Signature-256; gitee: X-Gitee-Token; gitlab: X-Gitlab-Token): stored, then 202");
        var api = app.MapGroup("/api/v1/bot").WithTags("Bot");
        api.MapGet("/help", (BotQueries queries) => TypedResults.Ok(queries.Commands())).WithSummary("Every command of the review bot: usage, what it does, who may use it");
        api.MapGet("/deliveries", async (string? state, int? limit, BotQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.DeliveriesAsync(state, limit ?? 50, ct)))
            .RequireAuthorization(Scopes.Admin).WithSummary("The newest webhook deliveries and what each plugin did with them (admins)");
        return app;
    }

    private static async Task<Results<Accepted<DeliveryIntake.Outcome>, Ok<DeliveryIntake.Outcome>, ProblemHttpResult>> HookAsync(
        string forge, HttpRequest request, DeliveryIntake intake, IOptions<BotOptions> options, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await WebhookBody.ReadAsync(request, options.Value.MaxWebhookBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var result = await intake.ReceiveAsync(forge, WebhookBody.Headers(request), body!, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problem(result);
        }

        return result.Value!.Accepted ? TypedResults.Accepted((string?)null, result.Value) : TypedResults.Ok(result.Value);
    }
}

using System.Security.Claims;
using Forgeline.Core.Signing;
using Forgeline.Signing;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Signing;

/// <summary>Routes of <c>/api/v1/keys</c> and <c>/api/v1/signatures</c>: key management, signing, the audit trail.</summary>
public static class KeyEndpoints
{
    /// <summary>Maps the signer's routes.</summary>
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Signing");
        api.MapGet("/keys", (SigningKeyService keys, CancellationToken ct) => keys.ListAsync(ct)).WithSummary("List keys (public parts only)");
        api.MapGet("/keys/{name}", async Task<Results<Ok<KeyDto>, ProblemHttpResult>> (string name, SigningKeyService keys, CancellationToken ct) =>
            OkOrProblem(await keys.GetAsync(name, ct))).WithSummary("Show a key (public parts only)");
        api.MapGet("/keys/{name}/public", PublicKeyAsync).WithSummary("The public key: armored OpenPGP, or the PEM certificate and its chain");
        api.MapPost("/keys", async Task<Results<Created<KeyDto>, ProblemHttpResult>> (CreateKeyRequest request, SigningKeyService keys, CancellationToken ct) =>
            CreatedOrProblem(await keys.CreateAsync(request, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Create a key inside the signer");
        api.MapPost("/keys/import", async Task<Results<Created<KeyDto>, ProblemHttpResult>> (ImportKeyRequest request, SigningKeyService keys, CancellationToken ct) =>
            CreatedOrProblem(await keys.ImportAsync(request, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Import a private key; it is sealed at once");
        api.MapPost("/keys/{name}/enable", async Task<Results<Ok<KeyDto>, ProblemHttpResult>> (string name, SigningKeyService keys, CancellationToken ct) =>
            OkOrProblem(await keys.SetEnabledAsync(name, true, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Enable a key");
        api.MapPost("/keys/{name}/disable", async Task<Results<Ok<KeyDto>, ProblemHttpResult>> (string name, SigningKeyService keys, CancellationToken ct) =>
            OkOrProblem(await keys.SetEnabledAsync(name, false, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Disable a key: it refuses to sign");
        api.MapPut("/keys/{name}/signers", async Task<Results<Ok<KeyDto>, ProblemHttpResult>> (string name, SetSignersRequest request, SigningKeyService keys, CancellationToken ct) =>
            OkOrProblem(await keys.SetSignersAsync(name, request.AllowedSigners, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Set the token names that may sign with a key");
        api.MapDelete("/keys/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, SigningKeyService keys, CancellationToken ct) =>
        {
            var result = await keys.DeleteAsync(name, ct);
            return result.IsSuccess ? TypedResults.NoContent() : Problem(result);
        }).RequireAuthorization(Scopes.Admin).WithSummary("Delete a key for good (its signatures stay in the audit trail)");
        api.MapPost("/keys/{name}/sign", SignAsync).RequireAuthorization(Scopes.Sign)
            .WithSummary("Sign RPM headers, prepared OpenPGP digests, container payloads or kernel-module/EFI digests");
        api.MapGet("/signatures", (string? key, int? limit, long? before, ClaimsPrincipal user, SigningService signing, CancellationToken ct) =>
            signing.LogAsync(key, limit ?? 50, before, ct, user.IsAdmin() ? null : [.. user.NamesOf()]))
            .RequireAuthorization().WithSummary("The signature audit trail, newest first: every signature for admins, your own for others");
        return app;
    }

    private static async Task<Results<Ok<SignResponse>, ProblemHttpResult>> SignAsync(
        string name, SignRequest request, ClaimsPrincipal user, SigningService signing, CancellationToken cancellationToken) =>
        OkOrProblem(await signing.SignAsync(name, user.TokenName(), user.IsAdmin(), request, cancellationToken, user.NamesOf()));

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PublicKeyAsync(string name, SigningKeyService keys, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(name, cancellationToken);
        return key is null
            ? TypedResults.Problem(title: "Not found", detail: $"there is no key '{name}'", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Text(key.PublicKey, key.Kind == KeyKinds.OpenPgp ? "application/pgp-keys" : "application/x-pem-file");
    }

    private static Results<Created<KeyDto>, ProblemHttpResult> CreatedOrProblem(Forgeline.Core.ServiceResult<KeyDto> result) =>
        result.IsSuccess ? TypedResults.Created($"/api/v1/keys/{result.Value!.Name}", result.Value) : Problem(result);
}

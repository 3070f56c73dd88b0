using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Forgeline.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Auth;

/// <summary>
/// GitHub's and Gitee's OAuth 2.0 sign-in (no ID token): after the handler exchanged the code, reads the user and their
/// organisations from the forge's API and turns them into the claims an OpenID provider would send (<c>sub</c>,
/// <c>preferred_username</c>, <c>name</c>, <c>email</c>, <c>groups</c>), so <see cref="ExternalSignIn"/> treats both alike.
/// </summary>
public sealed class ForgeOAuthEvents(ExternalSignIn signIn, IOptions<AccountsOptions> options) : OAuthEvents
{
    /// <inheritdoc />
    public override async Task CreatingTicket(OAuthCreatingTicketContext context)
    {
        var settings = options.Value.Providers[OidcProviders.ProviderOf(context.Scheme.Name)];
        var api = ForgeEndpoints.ApiOf(settings).TrimEnd('/');
        using var user = await GetAsync(context, settings, $"{api}/user");
        var root = user.RootElement;
        var identity = context.Identity!;
        identity.AddClaim(new Claim("sub", root.GetProperty("id").GetRawText().Trim('"')));
        AddString(identity, "preferred_username", root, "login");
        AddString(identity, "name", root, "name");
        AddString(identity, "email", root, "email");
        if (settings.OrganizationsAsGroups)
        {
            using var orgs = await GetAsync(context, settings, $"{api}/user/orgs");
            foreach (var org in orgs.RootElement.EnumerateArray())
            {
                if (org.TryGetProperty("login", out var login) && login.GetString() is { Length: > 0 } name)
                {
                    identity.AddClaim(new Claim("groups", name));
                }
            }
        }
    }

    /// <inheritdoc />
    public override Task TicketReceived(TicketReceivedContext context) => signIn.CompleteAsync(context);

    /// <inheritdoc />
    public override Task RemoteFailure(RemoteFailureContext context) => signIn.FailAsync(context);

    private static async Task<JsonDocument> GetAsync(OAuthCreatingTicketContext context, OidcProviderOptions settings, string url)
    {
        // GitHub takes the token as a bearer header; Gitee's API v5 documents it as the access_token parameter.
        var uri = settings.Type == ProviderTypes.Gitee ? $"{url}?access_token={Uri.EscapeDataString(context.AccessToken!)}" : url;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (settings.Type == ProviderTypes.GitHub)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("forgeline", "1"));
        using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            throw new AuthenticationFailureException(string.Create(CultureInfo.InvariantCulture,
                $"{settings.Type} answered {(int)response.StatusCode} to GET {new Uri(url).AbsolutePath}; check the OAuth app's scopes (read:user, read:org)"));
        }

        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(context.HttpContext.RequestAborted), cancellationToken: context.HttpContext.RequestAborted);
    }

    private static void AddString(ClaimsIdentity identity, string claim, JsonElement root, string property)
    {
        if (root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            identity.AddClaim(new Claim(claim, text));
        }
    }
}

using Forgeline.Core;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>Checks every provider at start-up, so a bad setting stops the server with the setting's name, not the first sign-in.</summary>
public sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        var problems = new List<string>();
        foreach (var (provider, settings) in options.Providers)
        {
            var prefix = $"{AccountsOptions.Section}:Providers:{provider}";
            if (!ResourceName.IsValid(provider))
            {
                problems.Add($"{prefix}: the provider name must be {ResourceName.Rule}");
            }

            if (!ProviderTypes.All.Contains(settings.Type))
            {
                problems.Add($"{prefix}:Type must be one of {string.Join(", ", ProviderTypes.All)} (got '{settings.Type}')");
            }
            else if (settings.Type != ProviderTypes.Oidc)
            {
                foreach (var (key, url) in new[] { ("WebUrl", settings.WebUrl), ("ApiUrl", settings.ApiUrl) })
                {
                    if (url is not null && UrlProblem(url, settings.RequireHttps) is { } urlProblem)
                    {
                        problems.Add($"{prefix}:{key} {urlProblem}");
                    }
                }
            }
            else if (UrlProblem(settings.Issuer, settings.RequireHttps) is { } issuerProblem)
            {
                problems.Add($"{prefix}:Issuer {issuerProblem}: the provider's issuer URL");
            }

            if (string.IsNullOrWhiteSpace(settings.ClientId))
            {
                problems.Add($"{prefix}:ClientId is empty; register Forgeline as a client at the provider and set its id");
            }

            if (SecretValue.Resolve(settings.ClientSecret, $"{prefix}:ClientSecret").Problem is { } secretProblem)
            {
                problems.Add(secretProblem);
            }

            if (string.IsNullOrWhiteSpace(settings.UsernameClaim))
            {
                problems.Add($"{prefix}:UsernameClaim is empty; name the claim that holds the user name (e.g. preferred_username)");
            }
        }

        if (options.PublicUrl is { } publicUrl && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var publicUri) || publicUri.Scheme is not ("https" or "http") || publicUri.PathAndQuery != "/"))
        {
            problems.Add($"{AccountsOptions.Section}:PublicUrl must be a scheme and host such as https://build.example.org (got '{publicUrl}')");
        }

        if (!ResourceName.IsValid(options.AdminGroup))
        {
            problems.Add($"{AccountsOptions.Section}:AdminGroup must be {ResourceName.Rule}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string? UrlProblem(string url, bool requireHttps) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") ? $"must be an https:// URL (got '{url}')"
        : uri.Scheme == "http" && (requireHttps || !uri.IsLoopback) ? "is plain http; use https (only loopback may use http, with RequireHttps=false)"
        : null;
}

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

            if (!Uri.TryCreate(settings.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http"))
            {
                problems.Add($"{prefix}:Issuer must be the provider's https:// issuer URL (got '{settings.Issuer}')");
            }
            else if (issuer.Scheme == "http" && (settings.RequireHttps || !issuer.IsLoopback))
            {
                problems.Add($"{prefix}:Issuer is plain http; use https (only a provider on loopback may use http, with RequireHttps=false)");
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

        if (!ResourceName.IsValid(options.AdminGroup))
        {
            problems.Add($"{AccountsOptions.Section}:AdminGroup must be {ResourceName.Rule}");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

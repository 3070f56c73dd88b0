using Forgeline.Core.Accounts;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>Registers accounts.</summary>
public static class AccountsServiceCollectionExtensions
{
    /// <summary>Adds users, groups, sessions, tokens and login codes, with <see cref="AccountsOptions"/> validated at start-up.</summary>
    public static IServiceCollection AddForgelineAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>().Bind(configuration.GetSection(AccountsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<UserDirectory>();
        services.AddScoped<IPrincipalDirectory>(sp => sp.GetRequiredService<UserDirectory>());
        services.AddScoped<ProviderSignIn>();
        services.AddScoped<GroupService>();
        services.AddScoped<SessionService>();
        services.AddScoped<TokenService>();
        // The cache and its revocation notices are per process; without an event bus (AddForgelineEvents) nothing is cached.
        services.TryAddSingleton(sp => new TokenCache(sp.GetRequiredService<TimeProvider>(), sp.GetService<IEventBusHealth>()));
        services.TryAddSingleton(sp => new TokenRevocations(
            sp.GetRequiredService<TokenCache>(), sp.GetService<IEventBus>(), sp.GetService<IEventBusHealth>(), sp.GetRequiredService<ILogger<TokenRevocations>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TokenRevocations>());
        services.AddScoped<LoginCodes>();
        return services;
    }
}

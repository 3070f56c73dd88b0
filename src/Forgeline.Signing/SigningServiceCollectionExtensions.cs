using Forgeline.Core;
using Forgeline.Signing.Kms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forgeline.Signing;

/// <summary>Registers the signer.</summary>
public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Adds key management, signing and the key-encryption key from <c>Forgeline:Signing:Kms</c> (by default the master
    /// key file <c>&lt;data&gt;/master.key</c>, created with mode 0600 at first use).
    /// </summary>
    public static IServiceCollection AddForgelineSigning(this IServiceCollection services, IConfiguration configuration, ForgelinePaths paths)
    {
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>());
        services.AddSingleton<IKeyEncryptionKey>(sp =>
        {
            var kms = sp.GetRequiredService<IOptions<SigningOptions>>().Value.Kms;
            kms.MasterKeyPath ??= Path.Combine(paths.Root, "master.key");
            return KeyEncryptionKeyFactory.Create(kms);
        });
        services.AddSingleton(sp => new KeySealer(sp.GetRequiredService<IKeyEncryptionKey>()));
        services.AddSingleton<LoadedKeyCache>();
        services.AddScoped<SigningKeyService>();
        services.AddScoped<SigningService>();
        return services;
    }
}

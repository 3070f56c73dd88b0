using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Server;

/// <summary>Registers the meetings part on the server.</summary>
public static class MeetingsServiceCollectionExtensions
{
    /// <summary>
    /// Adds meetings with options from <c>Forgeline:Meetings</c>; its coordinator (mails, reminders, recordings) runs
    /// when <paramref name="runCoordinator"/>. Needs accounts (SIGs are groups), <see cref="Forgeline.Core.ForgelinePaths"/> and the artifact store.
    /// </summary>
    public static IServiceCollection AddForgelineMeetings(this IServiceCollection services, IConfiguration configuration, bool runCoordinator = true)
    {
        services.AddOptions<MeetingsOptions>().Bind(configuration.GetSection(MeetingsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(MeetingPlatforms.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(MeetingVideoPlatforms.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<MeetingPlatforms>();
        services.AddSingleton<MeetingVideoPlatforms>();
        services.AddSingleton<MeetingMail>();
        services.AddSingleton<MeetingsGate>();
        services.AddSingleton<MeetingsSignal>();
        services.AddSingleton<MeetingFeeds>();
        services.AddScoped<MeetingBooking>();
        services.AddScoped<MeetingQueries>();
        services.AddScoped<MeetingWebhooks>();
        services.AddScoped<MeetingMailer>();
        services.AddScoped<MeetingRecordings>();
        services.AddScoped<MeetingCoordinatorPass>();
        services.AddSingleton<MeetingCoordinator>();
        if (runCoordinator)
        {
            services.AddHostedService(sp => sp.GetRequiredService<MeetingCoordinator>());
        }

        return services;
    }
}

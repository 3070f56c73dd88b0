using Forgeline.Meetings.Videos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Server;

/// <summary>
/// The video platforms recordings are published to: each backend of <see cref="VideoPlatformBackends.All"/> whose
/// section (<c>Forgeline:Meetings:Videos:{Name}</c>, any case) has settings. One with incomplete settings is left out;
/// why is logged when the part first uses them.
/// </summary>
public sealed partial class MeetingVideoPlatforms
{
    /// <summary>The named HTTP client uploads use (no overall timeout: an upload of a long recording takes a while).</summary>
    public const string HttpClientName = "video-platforms";

    private readonly List<IVideoPlatform> platforms = [];

    /// <summary>The platforms <paramref name="configuration"/> configures.</summary>
    public MeetingVideoPlatforms(IConfiguration configuration, IHttpClientFactory http, TimeProvider time, ILogger<MeetingVideoPlatforms> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(http);
        foreach (var backend in VideoPlatformBackends.All)
        {
            var section = configuration.GetSection($"{VideoPlatformBackends.Section}:{backend.Name}");
            if (!section.GetChildren().Any())
            {
                continue;
            }

            try
            {
                platforms.Add(backend.Create(key => section[key], http.CreateClient(HttpClientName), time));
            }
            catch (VideoPlatformException e)
            {
                LogMisconfigured(logger, backend.DisplayName, e.Message);
            }
        }
    }

    /// <summary>The platforms, in the order of <see cref="VideoPlatformBackends.All"/>.</summary>
    public IReadOnlyList<IVideoPlatform> All => platforms;

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: {Platform} is not usable, recordings are not published there: {Problem}")]
    private static partial void LogMisconfigured(ILogger logger, string platform, string problem);
}

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>Zoom (REST API v2, server-to-server OAuth), configured in <c>Forgeline:Meetings:Zoom</c>.</summary>
public sealed class ZoomBackend : IMeetingPlatformBackend
{
    /// <inheritdoc />
    public string Name => "zoom";

    /// <inheritdoc />
    public string DisplayName => "Zoom";

    /// <summary>The options <paramref name="setting"/> gives, secrets resolved; throws naming what is missing.</summary>
    public static ZoomOptions Options(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var values = MeetingPlatformBackends.Read(
            setting, ZoomOptions.Section, [nameof(ZoomOptions.AccountId), nameof(ZoomOptions.ClientId)],
            [nameof(ZoomOptions.ClientSecret), nameof(ZoomOptions.WebhookSecretToken)]);
        var options = new ZoomOptions
        {
            AccountId = values[nameof(ZoomOptions.AccountId)],
            ClientId = values[nameof(ZoomOptions.ClientId)],
            ClientSecret = values[nameof(ZoomOptions.ClientSecret)],
            WebhookSecretToken = values[nameof(ZoomOptions.WebhookSecretToken)],
        };
        if (setting(nameof(ZoomOptions.ApiBaseUrl)) is { Length: > 0 } api)
        {
            options.ApiBaseUrl = api;
        }

        if (setting(nameof(ZoomOptions.OAuthUrl)) is { Length: > 0 } oauth)
        {
            options.OAuthUrl = oauth;
        }

        return options;
    }

    /// <inheritdoc />
    public IMeetingPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time) =>
        new ZoomClient(http, Options(setting), time);
}

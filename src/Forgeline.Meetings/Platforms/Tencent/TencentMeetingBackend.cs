using Forgeline.Core;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>Tencent Meeting (REST API v1, enterprise self-built app signatures), configured in <c>Forgeline:Meetings:Tencent</c>.</summary>
public sealed class TencentMeetingBackend : IMeetingPlatformBackend
{
    /// <inheritdoc />
    public string Name => "tencent";

    /// <inheritdoc />
    public string DisplayName => "Tencent Meeting";

    /// <summary>The options <paramref name="setting"/> gives, secrets resolved; throws naming what is missing.</summary>
    public static TencentMeetingOptions Options(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var values = MeetingPlatformBackends.Read(
            setting, TencentMeetingOptions.Section,
            [nameof(TencentMeetingOptions.AppId), nameof(TencentMeetingOptions.SecretId), nameof(TencentMeetingOptions.UserId)],
            [nameof(TencentMeetingOptions.SecretKey)]);
        var options = new TencentMeetingOptions
        {
            AppId = values[nameof(TencentMeetingOptions.AppId)],
            SecretId = values[nameof(TencentMeetingOptions.SecretId)],
            SecretKey = values[nameof(TencentMeetingOptions.SecretKey)],
            UserId = values[nameof(TencentMeetingOptions.UserId)],
            SdkId = setting(nameof(TencentMeetingOptions.SdkId)) ?? "",
        };
        if (setting(nameof(TencentMeetingOptions.WebhookToken)) is { Length: > 0 } token)
        {
            var (value, problem) = SecretValue.Resolve(token, $"{TencentMeetingOptions.Section}:{nameof(TencentMeetingOptions.WebhookToken)}");
            options.WebhookToken = value ?? throw new MeetingPlatformException(problem!);
        }

        if (setting(nameof(TencentMeetingOptions.ApiBaseUrl)) is { Length: > 0 } api)
        {
            options.ApiBaseUrl = api;
        }

        return options;
    }

    /// <inheritdoc />
    public IMeetingPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time) =>
        new TencentMeetingClient(http, Options(setting), time);
}

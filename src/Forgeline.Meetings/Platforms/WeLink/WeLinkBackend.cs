namespace Forgeline.Meetings.Platforms.WeLink;

/// <summary>WeLink / Huawei Cloud Meeting (REST API, App ID authentication), configured in <c>Forgeline:Meetings:WeLink</c>.</summary>
public sealed class WeLinkBackend : IMeetingPlatformBackend
{
    /// <inheritdoc />
    public string Name => "welink";

    /// <inheritdoc />
    public string DisplayName => "WeLink";

    /// <summary>The options <paramref name="setting"/> gives, secrets resolved; throws naming what is missing.</summary>
    public static WeLinkOptions Options(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var values = MeetingPlatformBackends.Read(
            setting, WeLinkOptions.Section, [nameof(WeLinkOptions.AppId)], [nameof(WeLinkOptions.AppKey)]);
        var options = new WeLinkOptions
        {
            AppId = values[nameof(WeLinkOptions.AppId)],
            AppKey = values[nameof(WeLinkOptions.AppKey)],
            UserId = setting(nameof(WeLinkOptions.UserId)) ?? "",
            CorpId = setting(nameof(WeLinkOptions.CorpId)) ?? "",
        };
        if (setting(nameof(WeLinkOptions.ApiBaseUrl)) is { Length: > 0 } api)
        {
            options.ApiBaseUrl = api;
        }

        if (setting(nameof(WeLinkOptions.CycleTimeZone)) is { Length: > 0 } zone)
        {
            options.CycleTimeZone = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
                ? zone
                : throw new MeetingPlatformException($"{WeLinkOptions.Section}:{nameof(WeLinkOptions.CycleTimeZone)} '{zone}' is not a time zone: use an IANA name such as Asia/Shanghai");
        }

        if (setting(nameof(WeLinkOptions.TimeZoneId)) is { Length: > 0 } zoneId)
        {
            options.TimeZoneId = zoneId;
        }

        return options;
    }

    /// <inheritdoc />
    public IMeetingPlatform Create(Func<string, string?> setting, HttpClient http, TimeProvider time) =>
        new WeLinkClient(http, Options(setting), time);
}

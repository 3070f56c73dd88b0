namespace Forgeline.Meetings.Platforms.WeLink;

/// <summary>
/// A Huawei Cloud Meeting (WeLink) app with App ID authentication, bound from <c>Forgeline:Meetings:WeLink</c>. The
/// app key comes from env or file (<c>env:NAME</c>, <c>file:PATH</c>) and is never logged or shown.
/// </summary>
public sealed class WeLinkOptions
{
    /// <summary>The section the options are bound from.</summary>
    public const string Section = "Forgeline:Meetings:WeLink";

    /// <summary>The App ID from the Huawei Cloud Meeting console.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The App Key, the HMAC key of the App ID authentication.</summary>
    public string AppKey { get; set; } = "";

    /// <summary>The third-party user id the meetings are booked as; empty books as the enterprise's administrator.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The enterprise id, for an app of a service provider used in several enterprises; empty otherwise.</summary>
    public string CorpId { get; set; } = "";

    /// <summary>The REST API's base URL.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.meeting.huaweicloud.com";

    /// <summary>
    /// The IANA zone of <see cref="TimeZoneId"/>: a recurring meeting's dates and weekday are given in it.
    /// </summary>
    public string CycleTimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Huawei Cloud Meeting's own id of <see cref="CycleTimeZone"/> (its time-zone table; 56 is Beijing).</summary>
    public string TimeZoneId { get; set; } = "56";
}

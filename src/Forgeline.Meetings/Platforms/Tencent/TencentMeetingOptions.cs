namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>
/// A Tencent Meeting enterprise self-built app, bound from <c>Forgeline:Meetings:Tencent</c>. The secret key and the
/// webhook token come from env or file (<c>env:NAME</c>, <c>file:PATH</c>) and is never logged or shown.
/// </summary>
public sealed class TencentMeetingOptions
{
    /// <summary>The section the options are bound from.</summary>
    public const string Section = "Forgeline:Meetings:Tencent";

    /// <summary>The enterprise id Tencent Meeting gave the company (header <c>AppId</c>).</summary>
    public string AppId { get; set; } = "";

    /// <summary>The app's SDK id (header <c>SdkId</c>), or empty when the app has none.</summary>
    public string SdkId { get; set; } = "";

    /// <summary>The app's SecretId (header <c>X-TC-Key</c>).</summary>
    public string SecretId { get; set; } = "";

    /// <summary>The app's SecretKey, the HMAC key of every request's signature.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The enterprise user the meetings are booked as (<c>userid</c>).</summary>
    public string UserId { get; set; } = "";

    /// <summary>
    /// The event subscription's Token, which signs webhook requests (env or file like the secret key); needed only to
    /// receive recordings, empty when none is configured.
    /// </summary>
    public string WebhookToken { get; set; } = "";

    /// <summary>The REST API's base URL, without <c>/v1</c>.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.meeting.qq.com";
}

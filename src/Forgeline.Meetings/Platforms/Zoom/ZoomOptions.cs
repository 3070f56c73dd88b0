namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>
/// A Zoom server-to-server OAuth app, bound from <c>Forgeline:Meetings:Zoom</c>. The secrets come from env or file
/// (<c>env:NAME</c>, <c>file:PATH</c>) and are never logged or shown.
/// </summary>
public sealed class ZoomOptions
{
    /// <summary>The section the options are bound from.</summary>
    public const string Section = "Forgeline:Meetings:Zoom";

    /// <summary>The Zoom account the app belongs to.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>The app's client id.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's client secret.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The REST API's base URL.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.zoom.us/v2";

    /// <summary>The OAuth token endpoint.</summary>
    public string OAuthUrl { get; set; } = "https://zoom.us/oauth/token";

    /// <summary>The secret token Zoom signs event notifications with.</summary>
    public string WebhookSecretToken { get; set; } = "";
}

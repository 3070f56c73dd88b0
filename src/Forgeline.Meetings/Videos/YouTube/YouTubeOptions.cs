namespace Forgeline.Meetings.Videos.YouTube;

/// <summary>
/// A Google OAuth client authorized for a YouTube channel, bound from <c>Forgeline:Meetings:Videos:YouTube</c>. The
/// secrets (client secret, refresh token) come from env or file (<c>env:NAME</c>, <c>file:PATH</c>) and are never
/// logged or shown.
/// </summary>
public sealed class YouTubeOptions
{
    /// <summary>The section the options are bound from.</summary>
    public const string Section = "Forgeline:Meetings:Videos:YouTube";

    /// <summary>The unit upload chunks are a multiple of (256 KiB), as the resumable protocol requires.</summary>
    public const int ChunkUnit = 256 * 1024;

    /// <summary>The OAuth client's id.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The OAuth client's secret.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The refresh token the channel's owner granted (scope <c>youtube.upload</c>).</summary>
    public string RefreshToken { get; set; } = "";

    /// <summary><c>public</c>, <c>unlisted</c> or <c>private</c>.</summary>
    public string PrivacyStatus { get; set; } = "unlisted";

    /// <summary>The video category; 28 is Science &amp; Technology.</summary>
    public string CategoryId { get; set; } = "28";

    /// <summary>The bytes sent per request, a multiple of <see cref="ChunkUnit"/>.</summary>
    public int ChunkSize { get; set; } = 32 * ChunkUnit;

    /// <summary>How many times in a row a chunk may fail before the upload gives up (to be continued by publishing again).</summary>
    public int MaxChunkRetries { get; set; } = 5;

    /// <summary>The wait before the first retry of a chunk; it doubles with each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Google's OAuth token endpoint.</summary>
    public string TokenUrl { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>The YouTube Data API v3 video upload endpoint.</summary>
    public string UploadUrl { get; set; } = "https://www.googleapis.com/upload/youtube/v3/videos";
}

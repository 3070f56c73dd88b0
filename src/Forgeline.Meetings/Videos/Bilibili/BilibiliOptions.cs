namespace Forgeline.Meetings.Videos.Bilibili;

/// <summary>
/// A Bilibili open platform app authorized for an account, bound from <c>Forgeline:Meetings:Videos:Bilibili</c>. The
/// access token comes from env or file (<c>env:NAME</c>, <c>file:PATH</c>) and is never logged or shown.
/// </summary>
public sealed class BilibiliOptions
{
    /// <summary>The section the options are bound from.</summary>
    public const string Section = "Forgeline:Meetings:Videos:Bilibili";

    /// <summary>The app's client id.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The account's access token for the app.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>The partition (<c>tid</c>) videos are submitted to.</summary>
    public int Tid { get; set; }

    /// <summary>1 for the account's own video, 2 for a repost.</summary>
    public int Copyright { get; set; } = 1;

    /// <summary>The bytes sent per part; the documentation recommends 8 MiB.</summary>
    public int ChunkSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>How many times in a row a part may fail before the upload gives up (to be continued by publishing again).</summary>
    public int MaxChunkRetries { get; set; } = 5;

    /// <summary>The wait before the first retry of a part; it doubles with each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The open platform's API (init, complete, submit).</summary>
    public string ApiBaseUrl { get; set; } = "https://member.bilibili.com";

    /// <summary>The file server parts are uploaded to.</summary>
    public string UploadBaseUrl { get; set; } = "https://openupos.bilivideo.com";
}

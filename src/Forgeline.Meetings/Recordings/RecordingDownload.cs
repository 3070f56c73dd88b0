namespace Forgeline.Meetings.Recordings;

/// <summary>What <see cref="RecordingDownloader"/> is asked to fetch and what the result must match.</summary>
/// <param name="Url">Where the file is, e.g. a Zoom recording file's <c>download_url</c>.</param>
/// <param name="PartialPath">The file the bytes go to; when it exists, the download continues from its end.</param>
/// <param name="BearerToken">Sent as <c>Authorization: Bearer …</c> to the URL's origin only (Zoom's <c>download_token</c>), or null.</param>
/// <param name="ExpectedSize">The size the platform reported, or null when it did not say.</param>
/// <param name="ExpectedSha256">The SHA-256 (hex) the file must have, or null (Zoom sends none).</param>
/// <param name="MaxBytes">The most bytes accepted; a larger file is stopped and refused.</param>
/// <param name="Source">Who reported the file, for messages (<c>… Zoom said 5,678</c>).</param>
public sealed record RecordingDownload(
    Uri Url,
    string PartialPath,
    string? BearerToken = null,
    long? ExpectedSize = null,
    string? ExpectedSha256 = null,
    long MaxBytes = RecordingDownload.DefaultMaxBytes,
    string Source = "the platform")
{
    /// <summary>The default limit: 16 GiB, above any meeting recording's size.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024 * 1024;
}

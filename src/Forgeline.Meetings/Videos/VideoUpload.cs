namespace Forgeline.Meetings.Videos;

/// <summary>A recording file to publish, with what people see of it.</summary>
/// <param name="FilePath">The file (an MP4).</param>
/// <param name="Size">Its size in bytes; the upload is refused when the file's size differs.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex, as the download computed it.</param>
/// <param name="Title">The video's title; a platform shortens it to its limit.</param>
/// <param name="Description">The video's description; a platform shortens it to its limit.</param>
/// <param name="Tags">The video's tags.</param>
/// <param name="IdempotencyKey">Stable for the same file, e.g. <c>{meeting id}/{recording file id}</c>.</param>
public sealed record VideoUpload(
    string FilePath,
    long Size,
    string Sha256,
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    string IdempotencyKey)
{
    /// <summary>Throws a <see cref="VideoPlatformException"/> when the file is missing, empty or not <see cref="Size"/> bytes.</summary>
    public void CheckFile()
    {
        var size = File.Exists(FilePath) ? new FileInfo(FilePath).Length : -1;
        if (size != Size || size == 0)
        {
            throw new VideoPlatformException($"{FilePath} is {(size < 0 ? "missing" : $"{size:N0} bytes")}, the upload expects {Size:N0}; download the recording again");
        }
    }
}

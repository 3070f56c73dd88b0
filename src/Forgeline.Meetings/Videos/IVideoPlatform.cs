namespace Forgeline.Meetings.Videos;

/// <summary>
/// A video platform (YouTube, Bilibili) a meeting's recording is published to. Each backend is a client against the
/// platform's documented upload API; a failure is a <see cref="VideoPlatformException"/> that says whether trying again
/// later may help. Publishing again with the same <see cref="VideoUpload.IdempotencyKey"/> continues an interrupted
/// upload where the platform allows it, and returns the video already published by this client.
/// </summary>
public interface IVideoPlatform
{
    /// <summary>The backend's name, e.g. <c>youtube</c>.</summary>
    string Name { get; }

    /// <summary>Uploads <paramref name="upload"/>'s file with its metadata and returns the published video.</summary>
    Task<PublishedVideo> PublishAsync(VideoUpload upload, CancellationToken ct);
}

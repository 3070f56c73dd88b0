namespace Forgeline.Meetings.Videos;

/// <summary>A video as the platform published it.</summary>
/// <param name="Id">The platform's id of the video (YouTube's video id, Bilibili's BV id).</param>
/// <param name="Url">Where people watch it.</param>
public sealed record PublishedVideo(string Id, Uri Url);

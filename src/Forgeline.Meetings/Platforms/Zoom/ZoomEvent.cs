using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>A Zoom event notification's envelope.</summary>
/// <param name="Name">The event, e.g. <c>recording.completed</c>.</param>
/// <param name="EventTs">Zoom's <c>event_ts</c>: when the event happened, in Unix milliseconds.</param>
/// <param name="DeliveryKey">
/// The same for every retry of one event: the event, its object's uuid (or id) and <c>event_ts</c>, or the body's
/// SHA-256 when those are missing; what de-duplication keys on.
/// </param>
/// <param name="Payload">The event's <c>payload</c>.</param>
/// <param name="DownloadToken">The <c>download_token</c> recording events carry, or null.</param>
public sealed record ZoomEvent(string Name, long EventTs, string DeliveryKey, JsonElement Payload, string? DownloadToken);

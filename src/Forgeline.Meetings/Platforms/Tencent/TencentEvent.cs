using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>A Tencent Meeting event, its <c>data</c> decoded.</summary>
/// <param name="Name">The event, e.g. <c>recording.completed</c>.</param>
/// <param name="DeliveryKey">
/// The same for every retry of one event: the event and its <c>trace_id</c> ("the event's unique sequence value"), or
/// the decoded data's SHA-256 when there is none; what de-duplication keys on.
/// </param>
/// <param name="Payload">The event's <c>payload</c> (an array of one or more items).</param>
public sealed record TencentEvent(string Name, string DeliveryKey, JsonElement Payload);

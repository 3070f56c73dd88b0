using System.Text.Json.Serialization;

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>What the endpoint answers to Zoom's URL validation, as JSON.</summary>
/// <param name="PlainToken">The plain token Zoom sent.</param>
/// <param name="EncryptedToken">The hex HMAC-SHA256 of the plain token, keyed with the webhook secret token.</param>
public sealed record ZoomUrlValidationAnswer(
    [property: JsonPropertyName("plainToken")] string PlainToken,
    [property: JsonPropertyName("encryptedToken")] string EncryptedToken);

namespace Forgeline.Testing;

/// <summary>A commit status set on the fake, in the forge's own words.</summary>
/// <param name="Context">Its context (name).</param>
/// <param name="State">The forge's state word (GitHub: pending, success, failure, error).</param>
/// <param name="Description">Its description.</param>
/// <param name="TargetUrl">Its link, or null.</param>
/// <param name="CreatedAt">When it was set.</param>
public sealed record FakeStatus(string Context, string State, string Description, string? TargetUrl, DateTimeOffset CreatedAt);

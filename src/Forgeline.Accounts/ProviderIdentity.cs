namespace Forgeline.Accounts;

/// <summary>What a provider said about the person who just signed in, after the claim mapping of its settings.</summary>
/// <param name="Provider">The provider's name in the settings.</param>
/// <param name="Subject">The provider's stable account id (<c>sub</c>).</param>
/// <param name="Username">The preferred user name, if the provider gave one.</param>
/// <param name="Email">E-mail address.</param>
/// <param name="DisplayName">Name for people.</param>
/// <param name="Groups">The groups claim; null when the provider is not configured to give groups.</param>
public sealed record ProviderIdentity(string Provider, string Subject, string? Username, string? Email, string? DisplayName, IReadOnlyList<string>? Groups);

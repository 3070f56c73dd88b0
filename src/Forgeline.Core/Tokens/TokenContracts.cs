namespace Forgeline.Core.Tokens;

/// <summary>Body of <c>POST /api/v1/tokens</c>.</summary>
/// <param name="Name">Unique token name.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="Owner">Who its builds belong to in the queue (a user or a project's group); the token's name when empty.</param>
public sealed record CreateTokenRequest(string Name, IReadOnlyList<string> Scopes, string? Owner = null);

/// <summary>A token as listed (never its secret).</summary>
public sealed record TokenDto(string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked, string? Owner = null);

/// <summary>Answer to a token creation: the secret, shown this once.</summary>
public sealed record CreatedTokenDto(string Name, IReadOnlyList<string> Scopes, string Token);

/// <summary>Who the presented token is: <c>GET /api/v1/whoami</c>.</summary>
public sealed record WhoAmIDto(string Name, IReadOnlyList<string> Scopes, string? Owner = null);

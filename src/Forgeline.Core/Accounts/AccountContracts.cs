namespace Forgeline.Core.Accounts;

/// <summary>A user as listed.</summary>
/// <param name="Name">Unique name: what builds, projects and members refer to.</param>
/// <param name="DisplayName">Name for people.</param>
/// <param name="Email">E-mail address (shown to admins and the user only).</param>
/// <param name="Groups">Groups the user is in.</param>
/// <param name="CreatedAt">When the record was made.</param>
/// <param name="LastSignInAt">Last browser sign-in.</param>
/// <param name="Disabled">Whether sign-in and personal tokens are refused.</param>
public sealed record UserDto(string Name, string? DisplayName, string? Email, IReadOnlyList<string> Groups, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool Disabled);

/// <summary>Body of <c>POST /api/v1/users</c>: an admin makes a user ahead of their first sign-in (or for a robot).</summary>
public sealed record CreateUserRequest(string Name, string? DisplayName = null, string? Email = null);

/// <summary>A group as listed.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Members">Its members, each with where the membership comes from (<c>local</c> or a provider).</param>
public sealed record GroupDto(string Name, string? Description, IReadOnlyList<GroupMemberDto> Members);

/// <summary>A member of a group and where the membership comes from.</summary>
public sealed record GroupMemberDto(string User, string Source);

/// <summary>Body of <c>POST /api/v1/groups</c>.</summary>
public sealed record CreateGroupRequest(string Name, string? Description = null);

/// <summary>Who is calling: <c>GET /api/v1/me</c>.</summary>
/// <param name="Name">The user's name, or the service token's name.</param>
/// <param name="Kind"><c>user</c> (signed in, or a personal token) or <c>service</c> (a token an admin made).</param>
/// <param name="Groups">Groups the caller acts for.</param>
/// <param name="Scopes">What the caller may do.</param>
/// <param name="Token">The token presented, if any.</param>
public sealed record MeDto(string Name, string Kind, IReadOnlyList<string> Groups, IReadOnlyList<string> Scopes, string? Token);

/// <summary>Body of <c>POST /api/v1/login/token</c>: the CLI exchanges its one-time code and PKCE verifier for a token.</summary>
public sealed record LoginCodeExchange(string Code, string Verifier);

using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using Forgeline.Core.Tokens;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Accounts;

/// <summary>
/// API tokens: random secrets shown once; only their sha256 is stored, so a database dump reveals none. A service token is
/// made by an admin and acts under its own name; a personal token belongs to a user (stored as <c>USER:NAME</c>) and has at
/// most that user's rights at each use. Verified tokens are kept a short while in the process's <see cref="TokenCache"/>;
/// revoking or replacing one empties it here and, through <see cref="TokenRevocations"/>, on every replica.
/// </summary>
/// <param name="db">The database.</param>
/// <param name="time">The clock.</param>
/// <param name="cache">The process's token cache; null to read every token from the database.</param>
/// <param name="revocations">Tells every replica of a revocation; null when there is no cache to empty.</param>
public sealed class TokenService(ForgelineDbContext db, TimeProvider time, TokenCache? cache = null, TokenRevocations? revocations = null)
{
    /// <summary>Prefix of every token, so a leaked one is recognisable by secret scanners.</summary>
    public const string Prefix = "flt_";

    /// <summary>The stored name of a user's personal token.</summary>
    public static string PersonalName(string user, string name) => name.StartsWith(user + ":", StringComparison.Ordinal) ? name : $"{user}:{name}";

    /// <summary>A token as listed (never its secret).</summary>
    public static TokenDto ToDto(ApiTokenRecord t) =>
        new(t.Name, t.Scopes.Split(' '), new DateTimeOffset(t.CreatedAt), t.LastUsedAt is { } u ? new DateTimeOffset(u) : null, t.RevokedAt is not null, t.Owner);

    /// <summary>Creates a token; the secret is returned once and never stored.</summary>
    public async Task<(ApiTokenRecord Token, string Secret)> CreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken, string? owner = null, long? userId = null)
    {
        var secret = Secrets.New(Prefix);
        var record = new ApiTokenRecord
        {
            Name = name,
            Owner = string.IsNullOrWhiteSpace(owner) || owner == name ? null : owner,
            UserId = userId,
            Hash = Secrets.HashOf(secret),
            Scopes = string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, secret);
    }

    /// <summary>
    /// Checks a request for a token and makes it: a valid name, some scopes, all of them <paramref name="known"/> and within
    /// <paramref name="allowed"/> (the caller's rights), and a name not taken. With <paramref name="user"/> it is that user's
    /// personal token (stored as <c>USER:NAME</c>); without, a service token. The owner is the caller's to check.
    /// </summary>
    public async Task<ServiceResult<(ApiTokenRecord Token, string Secret)>> CreateCheckedAsync(
        string? name, IReadOnlyCollection<string>? scopes, IReadOnlyCollection<string> known, IReadOnlyCollection<string> allowed,
        string? owner, (long Id, string Name)? user, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(name))
        {
            return Fail(ServiceError.Invalid, $"name must be {ResourceName.Rule}");
        }

        if (scopes is not { Count: > 0 } || scopes.Any(s => !known.Contains(s)))
        {
            return Fail(ServiceError.Invalid, $"scopes must be some of: {string.Join(", ", known)}");
        }

        if (scopes.FirstOrDefault(s => !allowed.Contains(s)) is { } beyond)
        {
            return Fail(ServiceError.Forbidden, $"a personal token cannot have more rights than you: you lack the '{beyond}' scope");
        }

        var stored = user is { } u ? PersonalName(u.Name, name!) : name!;
        if (await ExistsAsync(stored, cancellationToken))
        {
            return Fail(ServiceError.Conflict, $"a token named '{stored}' exists; choose another name");
        }

        return await CreateAsync(stored, scopes, cancellationToken, owner, user?.Id);

        static ServiceResult<(ApiTokenRecord, string)> Fail(ServiceError error, string message) => ServiceResult<(ApiTokenRecord, string)>.Fail(error, message);
    }

    /// <summary>The active token with this secret, or null.</summary>
    public async Task<ApiTokenRecord?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        // Looking up by the digest of a 256-bit secret leaks nothing an attacker can use to guess it.
        var hash = Secrets.HashOf(secret);
        var generation = cache?.Generation ?? 0;
        var token = cache?.Find(hash);
        var fromDatabase = token is null;
        token ??= await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, cancellationToken);
        if (token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
            {
                await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
                token.LastUsedAt = now;
                fromDatabase = true;
            }

            if (fromDatabase)
            {
                cache?.Add(hash, token, generation);
            }

            return token;
        }

        return null;
    }

    /// <summary>The tokens an admin sees (every one) or a user sees (their own), by name.</summary>
    public async Task<IReadOnlyList<ApiTokenRecord>> ListAsync(long? userId, CancellationToken cancellationToken) =>
        await db.ApiTokens.AsNoTracking().Where(t => userId == null || t.UserId == userId).OrderBy(t => t.Name).ToListAsync(cancellationToken);

    /// <summary>Revokes a token by name (only among <paramref name="userId"/>'s when given); false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken, long? userId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var revoked = await db.ApiTokens.Where(t => t.Name == name && t.RevokedAt == null && (userId == null || t.UserId == userId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken) > 0;
        if (revoked)
        {
            await ForgetAsync(name, cancellationToken);
        }

        return revoked;
    }

    /// <summary>Replaces the token called <paramref name="name"/> with a fresh one (used for the embedded worker at each start).</summary>
    public async Task<string> RecreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        if (await db.ApiTokens.Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            await ForgetAsync(name, cancellationToken);
        }

        return (await CreateAsync(name, scopes, cancellationToken)).Secret;
    }

    // After the change committed: the next request, here or on another replica, reads the database again.
    private async Task ForgetAsync(string name, CancellationToken cancellationToken)
    {
        if (revocations is not null)
        {
            await revocations.RevokedAsync(name, cancellationToken);
        }
        else
        {
            cache?.InvalidateAll();
        }
    }

    /// <summary>Whether any token with this name exists (revoked or not).</summary>
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => db.ApiTokens.AnyAsync(t => t.Name == name, cancellationToken);
}

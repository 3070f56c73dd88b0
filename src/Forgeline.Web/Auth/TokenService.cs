using System.Security.Cryptography;
using System.Text;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Web.Auth;

/// <summary>API tokens: random secrets shown once; only their sha256 is stored, so a database dump reveals none.</summary>
public sealed class TokenService(ForgelineDbContext db, TimeProvider time)
{
    /// <summary>Prefix of every token, so a leaked one is recognisable by secret scanners.</summary>
    public const string Prefix = "flt_";

    /// <summary>Creates a token; the secret is returned once and never stored.</summary>
    public async Task<(ApiTokenRecord Token, string Secret)> CreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken, string? owner = null)
    {
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiTokenRecord
        {
            Name = name,
            Owner = string.IsNullOrWhiteSpace(owner) || owner == name ? null : owner,
            Hash = HashOf(secret),
            Scopes = string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, secret);
    }

    /// <summary>The active token with this secret, or null.</summary>
    public async Task<ApiTokenRecord?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        // Looking up by the digest of a 256-bit secret leaks nothing an attacker can use to guess it.
        var hash = HashOf(secret);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, cancellationToken);
        if (token is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
            {
                await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
            }

            return token;
        }

        return null;
    }

    /// <summary>Revokes a token by name; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.ApiTokens.Where(t => t.Name == name && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken) > 0;
    }

    /// <summary>Replaces the token called <paramref name="name"/> with a fresh one (used for the embedded worker at each start).</summary>
    public async Task<string> RecreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        await db.ApiTokens.Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken);
        return (await CreateAsync(name, scopes, cancellationToken)).Secret;
    }

    /// <summary>Whether any token with this name exists (revoked or not).</summary>
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) => db.ApiTokens.AnyAsync(t => t.Name == name, cancellationToken);

    private static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

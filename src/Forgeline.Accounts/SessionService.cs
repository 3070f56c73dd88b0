using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>Browser sessions kept on the server: the cookie holds a random secret; signing out or expiry ends it here.</summary>
public sealed class SessionService(ForgelineDbContext db, IOptions<AccountsOptions> options, TimeProvider time)
{
    /// <summary>Prefix of session secrets.</summary>
    public const string Prefix = "fls_";

    /// <summary>Starts a session for <paramref name="userId"/>; returns the secret for the cookie and when it expires.</summary>
    public async Task<(string Secret, DateTimeOffset ExpiresAt)> StartAsync(long userId, string provider, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now.AddHours(options.Value.SessionHours);
        var secret = Secrets.New(Prefix);
        db.UserSessions.Add(new UserSessionRecord
        {
            Hash = Secrets.HashOf(secret), UserId = userId, Provider = provider, CreatedAt = now.UtcDateTime, ExpiresAt = expires.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (secret, expires);
    }

    /// <summary>The user of a live session (not expired, not signed out), or null.</summary>
    public async Task<long?> UserOfAsync(string? secret, CancellationToken cancellationToken)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Secrets.HashOf(secret);
        var now = time.GetUtcNow().UtcDateTime;
        var session = await db.UserSessions.AsNoTracking()
            .Where(s => s.Hash == hash && s.RevokedAt == null && s.ExpiresAt > now).Select(s => new { s.UserId }).FirstOrDefaultAsync(cancellationToken);
        return session?.UserId;
    }

    /// <summary>Ends the session (sign-out); later requests with its cookie are anonymous.</summary>
    public async Task EndAsync(string? secret, CancellationToken cancellationToken)
    {
        if (secret is null)
        {
            return;
        }

        var hash = Secrets.HashOf(secret);
        var now = time.GetUtcNow().UtcDateTime;
        await db.UserSessions.Where(s => s.Hash == hash && s.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), cancellationToken);
    }

    /// <summary>Removes sessions that ended more than a day ago, so the table does not grow for ever.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().UtcDateTime.AddDays(-1);
        return db.UserSessions.Where(s => s.ExpiresAt < before || s.RevokedAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}

using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>
/// <c>forgeline login</c> in the browser (a loopback redirect with PKCE, as RFC 8252 describes for native apps): the signed-in
/// user approves, the CLI gets a one-time code on 127.0.0.1 and exchanges it with its verifier for a personal token. A code
/// intercepted on the way is useless without the verifier, which never left the CLI.
/// </summary>
public sealed class LoginCodes(ForgelineDbContext db, TokenService tokens, IOptions<AccountsOptions> options, TimeProvider time)
{
    /// <summary>Scopes a token from <c>forgeline login</c> asks for; the user's rights still bound them at each use.</summary>
    public static readonly IReadOnlyList<string> CliScopes = ["build", "sign"];

    /// <summary>Issues a code for <paramref name="userId"/> bound to the CLI's PKCE <paramref name="challenge"/>.</summary>
    public async Task<string> IssueAsync(long userId, string challenge, string tokenName, CancellationToken cancellationToken)
    {
        var code = Secrets.New("flc_");
        db.LoginCodes.Add(new LoginCodeRecord
        {
            Hash = Secrets.HashOf(code), UserId = userId, Challenge = challenge, TokenName = tokenName,
            ExpiresAt = time.GetUtcNow().UtcDateTime.AddSeconds(options.Value.LoginCodeSeconds),
        });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>Exchanges a code and the verifier for a new personal token (name and secret); each code works once.</summary>
    public async Task<ServiceResult<(string Name, string Secret, string User)>> ExchangeAsync(string code, string verifier, CancellationToken cancellationToken)
    {
        var hash = Secrets.HashOf(code ?? "");
        var now = time.GetUtcNow().UtcDateTime;
        var record = await db.LoginCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Hash == hash, cancellationToken);
        var expected = Encoding.ASCII.GetBytes(record?.Challenge ?? "");
        var actual = Encoding.ASCII.GetBytes(Pkce.ChallengeOf(verifier ?? ""));
        if (record is null || record.UsedAt is not null || record.ExpiresAt <= now || !CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return ServiceResult<(string, string, string)>.Fail(ServiceError.Unauthorized, "the login code is unknown, used, expired or does not match the verifier; run 'forgeline login' again");
        }

        // One winner even if the code is raced: only the update that flips UsedAt makes a token.
        if (await db.LoginCodes.Where(c => c.Id == record.Id && c.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) != 1)
        {
            return ServiceResult<(string, string, string)>.Fail(ServiceError.Unauthorized, "the login code was already used; run 'forgeline login' again");
        }

        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == record.UserId, cancellationToken);
        var name = TokenService.PersonalName(user.Name, record.TokenName);
        for (var n = 2; await tokens.ExistsAsync(name, cancellationToken); n++)
        {
            name = TokenService.PersonalName(user.Name, $"{record.TokenName}-{n}");
        }

        var (token, secret) = await tokens.CreateAsync(name, CliScopes, cancellationToken, userId: user.Id);
        return (token.Name, secret, user.Name);
    }
}

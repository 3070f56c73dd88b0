using System.Text;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>
/// Turns a provider's sign-in into a Forgeline user: made at the first sign-in, linked by the provider's subject after that,
/// with the provider's groups kept in step (memberships an admin added stay).
/// </summary>
public sealed partial class ProviderSignIn(ForgelineDbContext db, IOptions<AccountsOptions> options, TimeProvider time, ILogger<ProviderSignIn> logger)
{
    /// <summary>Source of memberships an admin made.</summary>
    public const string LocalSource = "local";

    /// <summary>The user <paramref name="identity"/> signs in as; fails when that user is disabled.</summary>
    public async Task<ServiceResult<UserRecord>> SignInAsync(ProviderIdentity identity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var link = await db.UserIdentities.FirstOrDefaultAsync(i => i.Provider == identity.Provider && i.Subject == identity.Subject, cancellationToken);
        UserRecord? user = link is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId, cancellationToken);
        if (user is null)
        {
            user = await UserForFirstSignInAsync(identity, now, cancellationToken);
            db.UserIdentities.Add(new UserIdentityRecord { Provider = identity.Provider, Subject = identity.Subject, UserId = user.Id, LinkedAt = now });
            LogFirstSignIn(user.Name, identity.Provider);
        }

        if (user.DisabledAt is not null)
        {
            return ServiceResult<UserRecord>.Fail(ServiceError.Forbidden, $"the account '{user.Name}' is disabled; ask a Forgeline admin");
        }

        user.Email = identity.Email ?? user.Email;
        user.DisplayName = identity.DisplayName ?? user.DisplayName;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (identity.Groups is { } groups)
        {
            await SyncGroupsAsync(user, identity.Provider, groups, now, cancellationToken);
        }

        return user;
    }

    private async Task<UserRecord> UserForFirstSignInAsync(ProviderIdentity identity, DateTime now, CancellationToken cancellationToken)
    {
        var wanted = NameFrom(identity);
        var linksExisting = options.Value.Providers.TryGetValue(identity.Provider, out var settings) && settings.LinkExistingUsers;
        if (await db.Users.FirstOrDefaultAsync(u => u.Name == wanted, cancellationToken) is { } existing
            && linksExisting && !await db.UserIdentities.AnyAsync(i => i.UserId == existing.Id, cancellationToken))
        {
            return existing;
        }

        var name = wanted;
        for (var n = 1; await TakenAsync(name, cancellationToken); n++)
        {
            var suffix = n == 1 ? $"-{identity.Provider}" : $"-{identity.Provider}{n}";
            name = wanted[..Math.Min(wanted.Length, 64 - suffix.Length)] + suffix;
        }

        var user = new UserRecord { Name = name, CreatedAt = now };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private async Task<bool> TakenAsync(string name, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.Name == name, cancellationToken) || await db.Groups.AnyAsync(g => g.Name == name, cancellationToken);

    private async Task SyncGroupsAsync(UserRecord user, string provider, IReadOnlyList<string> claimed, DateTime now, CancellationToken cancellationToken)
    {
        var wanted = claimed.Where(ResourceName.IsValid).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in wanted)
        {
            if (await db.Groups.FirstOrDefaultAsync(g => g.Name == name, cancellationToken) is not { } group)
            {
                if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
                {
                    LogGroupNameTaken(provider, name);
                    continue;
                }

                group = new GroupRecord { Name = name, CreatedAt = now, Description = $"from {provider}" };
                db.Groups.Add(group);
                await db.SaveChangesAsync(cancellationToken);
            }

            if (!await db.GroupMembers.AnyAsync(m => m.GroupId == group.Id && m.UserId == user.Id, cancellationToken))
            {
                db.GroupMembers.Add(new GroupMemberRecord { GroupId = group.Id, UserId = user.Id, Source = provider });
            }
        }

        var stale = await (from m in db.GroupMembers join g in db.Groups on m.GroupId equals g.Id
                           where m.UserId == user.Id && m.Source == provider && !wanted.Contains(g.Name) select m).ToListAsync(cancellationToken);
        db.GroupMembers.RemoveRange(stale);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A valid user name from the provider's claims: the user name, else the e-mail's local part, else the subject.</summary>
    public static string NameFrom(ProviderIdentity identity)
    {
        foreach (var candidate in new[] { identity.Username, identity.Email?.Split('@')[0], identity.Subject })
        {
            if (Sanitize(candidate) is { } name)
            {
                return name;
            }
        }

        return "user";
    }

    private static string? Sanitize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var name = new StringBuilder();
        foreach (var c in text.Trim())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var result = name.ToString().TrimStart('-', '_', '.');
        result = result.Length > 48 ? result[..48] : result;
        return ResourceName.IsValid(result) ? result : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} signed in for the first time, through {Provider}")]
    private partial void LogFirstSignIn(string user, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} names group {Group}, but a user has that name; the membership is skipped")]
    private partial void LogGroupNameTaken(string provider, string group);
}

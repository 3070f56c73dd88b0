using Forgeline.Core.Accounts;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Accounts;

/// <summary>Reads users and groups: who a name is, a user with their groups, the lists admins see.</summary>
public sealed class UserDirectory(ForgelineDbContext db, IOptions<AccountsOptions> options) : IPrincipalDirectory
{
    /// <inheritdoc />
    public async Task<PrincipalKind> KindOfAsync(string name, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.Name == name, cancellationToken) ? PrincipalKind.User
        : await db.Groups.AnyAsync(g => g.Name == name, cancellationToken) ? PrincipalKind.Group
        : PrincipalKind.Unknown;

    /// <summary>The enabled user with this id and the groups they are in, or null (unknown or disabled).</summary>
    public async Task<Account?> AccountAsync(long userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null || user.DisabledAt is not null ? null : await WithGroupsAsync(user, cancellationToken);
    }

    /// <summary>The user called <paramref name="name"/> with their groups, or null.</summary>
    public async Task<Account?> AccountAsync(string name, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, cancellationToken) is { } user
            ? await WithGroupsAsync(user, cancellationToken)
            : null;

    /// <summary>Every user with their groups, by name.</summary>
    public async Task<IReadOnlyList<UserDto>> UsersAsync(CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken);
        var memberships = await (from m in db.GroupMembers join g in db.Groups on m.GroupId equals g.Id select new { m.UserId, g.Name })
            .AsNoTracking().ToListAsync(cancellationToken);
        var groupsOf = memberships.ToLookup(m => m.UserId, m => m.Name);
        return users.Select(u => ToDto(u, groupsOf[u.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    /// <summary>Every group with its members, by name.</summary>
    public async Task<IReadOnlyList<GroupDto>> GroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var members = await (from m in db.GroupMembers join u in db.Users on m.UserId equals u.Id select new { m.GroupId, u.Name, m.Source })
            .AsNoTracking().ToListAsync(cancellationToken);
        var membersOf = members.ToLookup(m => m.GroupId);
        return groups.Select(g => new GroupDto(g.Name, g.Description,
            membersOf[g.Id].OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new GroupMemberDto(m.Name, m.Source)).ToList())).ToList();
    }

    /// <summary>The list entry of an account.</summary>
    public static UserDto ToDto(UserRecord user, IReadOnlyList<string> groups) =>
        new(user.Name, user.DisplayName, user.Email, groups, new DateTimeOffset(user.CreatedAt),
            user.LastSignInAt is { } at ? new DateTimeOffset(at) : null, user.DisabledAt is not null);

    private async Task<Account> WithGroupsAsync(UserRecord user, CancellationToken cancellationToken)
    {
        var groups = await (from m in db.GroupMembers join g in db.Groups on m.GroupId equals g.Id where m.UserId == user.Id select g.Name)
            .AsNoTracking().ToListAsync(cancellationToken);
        groups.Sort(StringComparer.Ordinal);
        return new Account(user, groups, groups.Contains(options.Value.AdminGroup, StringComparer.Ordinal));
    }
}

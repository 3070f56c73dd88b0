using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Accounts;

/// <summary>What admins do to users and groups: make them, add and remove members, disable a user.</summary>
public sealed partial class GroupService(ForgelineDbContext db, TimeProvider time, ILogger<GroupService> logger)
{
    /// <summary>Makes a group; its name must not be a user's or another group's.</summary>
    public async Task<ServiceResult<GroupDto>> CreateGroupAsync(CreateGroupRequest request, string actor, CancellationToken cancellationToken)
    {
        if (await NameProblemAsync(request.Name, "group", cancellationToken) is { } problem)
        {
            return ServiceResult<GroupDto>.Fail(problem.Error, problem.Message);
        }

        db.Groups.Add(new GroupRecord { Name = request.Name, Description = request.Description, CreatedAt = time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        LogGroup(request.Name, "created", actor);
        return new GroupDto(request.Name, request.Description, []);
    }

    /// <summary>Makes a user ahead of their first sign-in (linked then by name), or a robot that only has tokens.</summary>
    public async Task<ServiceResult<UserDto>> CreateUserAsync(CreateUserRequest request, string actor, CancellationToken cancellationToken)
    {
        if (await NameProblemAsync(request.Name, "user", cancellationToken) is { } problem)
        {
            return ServiceResult<UserDto>.Fail(problem.Error, problem.Message);
        }

        var user = new UserRecord { Name = request.Name, DisplayName = request.DisplayName, Email = request.Email, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        LogUser(user.Name, "created", actor);
        return UserDirectory.ToDto(user, []);
    }

    /// <summary>Deletes a group and its memberships (what referred to it by name keeps the name, which then grants nothing).</summary>
    public async Task<ServiceResult<bool>> DeleteGroupAsync(string name, string actor, CancellationToken cancellationToken)
    {
        if (await db.Groups.Where(g => g.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, $"no group named '{name}'; 'forgeline group list' shows them");
        }

        LogGroup(name, "deleted", actor);
        return true;
    }

    /// <summary>Adds <paramref name="user"/> to <paramref name="group"/> as a local membership (kept whatever providers say).</summary>
    public async Task<ServiceResult<bool>> AddMemberAsync(string group, string user, string actor, CancellationToken cancellationToken)
    {
        var (g, u, problem) = await FindAsync(group, user, cancellationToken);
        if (problem is not null)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, problem);
        }

        if (await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == g!.Id && m.UserId == u!.Id, cancellationToken) is { } member)
        {
            // An admin's word outlasts the provider's claim: the membership is local from now on.
            member.Source = ProviderSignIn.LocalSource;
        }
        else
        {
            db.GroupMembers.Add(new GroupMemberRecord { GroupId = g!.Id, UserId = u!.Id, Source = ProviderSignIn.LocalSource });
        }

        await db.SaveChangesAsync(cancellationToken);
        LogMember(user, group, "added", actor);
        return true;
    }

    /// <summary>Removes a membership; one that came from a provider comes back at the user's next sign-in through it.</summary>
    public async Task<ServiceResult<string>> RemoveMemberAsync(string group, string user, string actor, CancellationToken cancellationToken)
    {
        var (g, u, problem) = await FindAsync(group, user, cancellationToken);
        if (problem is not null)
        {
            return ServiceResult<string>.Fail(ServiceError.NotFound, problem);
        }

        if (await db.GroupMembers.FirstOrDefaultAsync(m => m.GroupId == g!.Id && m.UserId == u!.Id, cancellationToken) is not { } member)
        {
            return ServiceResult<string>.Fail(ServiceError.NotFound, $"'{user}' is not in group '{group}'");
        }

        db.GroupMembers.Remove(member);
        await db.SaveChangesAsync(cancellationToken);
        LogMember(user, group, "removed", actor);
        return member.Source;
    }

    /// <summary>Disables or enables a user: a disabled user's sessions and personal tokens are refused at once.</summary>
    public async Task<ServiceResult<bool>> SetDisabledAsync(string user, bool disabled, string actor, CancellationToken cancellationToken)
    {
        if (await db.Users.FirstOrDefaultAsync(u => u.Name == user, cancellationToken) is not { } record)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, $"no user named '{user}'; 'forgeline user list' shows them");
        }

        record.DisabledAt = disabled ? time.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(cancellationToken);
        LogUser(user, disabled ? "disabled" : "enabled", actor);
        return true;
    }

    private async Task<(ServiceError Error, string Message)?> NameProblemAsync(string name, string what, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(name))
        {
            return (ServiceError.Invalid, $"a {what} name must be {ResourceName.Rule}");
        }

        return await db.Users.AnyAsync(u => u.Name == name, cancellationToken) ? (ServiceError.Conflict, $"'{name}' is already a user; users and groups share one namespace, choose another name")
            : await db.Groups.AnyAsync(g => g.Name == name, cancellationToken) ? (ServiceError.Conflict, $"'{name}' is already a group; choose another name")
            : null;
    }

    private async Task<(GroupRecord? Group, UserRecord? User, string? Problem)> FindAsync(string group, string user, CancellationToken cancellationToken)
    {
        var g = await db.Groups.FirstOrDefaultAsync(x => x.Name == group, cancellationToken);
        var u = await db.Users.FirstOrDefaultAsync(x => x.Name == user, cancellationToken);
        return g is null ? (null, null, $"no group named '{group}'; create it with 'forgeline group create {group}'")
            : u is null ? (null, null, $"no user named '{user}'; users appear at their first sign-in, or an admin makes one with 'forgeline user create {user}'")
            : (g, u, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Group {Group} {Action} by {Actor}")]
    private partial void LogGroup(string group, string action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} {Action} by {Actor}")]
    private partial void LogUser(string user, string action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} {Action} to/from group {Group} by {Actor}")]
    private partial void LogMember(string user, string group, string action, string actor);
}

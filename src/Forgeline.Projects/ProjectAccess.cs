using Forgeline.Core.Projects;
using Forgeline.Data.Entities;

namespace Forgeline.Projects;

/// <summary>Who may do what to a project: the one place that decides.</summary>
public static class ProjectAccess
{
    /// <summary>The caller's role in the project: <c>admin</c> for the owner and server admins, a member's role, or null.</summary>
    public static string? RoleOf(ProjectRecord project, ProjectCaller caller)
    {
        if (caller.IsAdmin || (caller.Principal.Length > 0 && caller.Is(project.Owner)))
        {
            return ProjectRoles.Admin;
        }

        // The strongest role wins when the caller is a member both in person and through a group.
        var roles = project.Members.Where(m => caller.Is(m.Principal)).Select(m => m.Role).ToList();
        return roles.Contains(ProjectRoles.Admin) ? ProjectRoles.Admin : roles.FirstOrDefault();
    }

    /// <summary>Whether the caller may see the project and install from it.</summary>
    public static bool CanSee(ProjectRecord project, ProjectCaller caller) => project.IsPublic || caller.ReadsEveryRepository || RoleOf(project, caller) is not null;

    /// <summary>Whether the caller may add packages and start builds.</summary>
    public static bool CanBuild(ProjectRecord project, ProjectCaller caller) => RoleOf(project, caller) is ProjectRoles.Admin or ProjectRoles.Builder;

    /// <summary>Whether the caller may change the project and its members.</summary>
    public static bool CanAdminister(ProjectRecord project, ProjectCaller caller) => RoleOf(project, caller) is ProjectRoles.Admin;
}

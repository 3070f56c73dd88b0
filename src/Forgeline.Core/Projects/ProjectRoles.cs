namespace Forgeline.Core.Projects;

/// <summary>The roles a project member can have; the owner is an admin without being listed.</summary>
public static class ProjectRoles
{
    /// <summary>Edits the project and its members, and does what builders do.</summary>
    public const string Admin = "admin";

    /// <summary>Adds and changes packages and starts builds.</summary>
    public const string Builder = "builder";

    /// <summary>Whether <paramref name="role"/> is one of them.</summary>
    public static bool IsValid(string? role) => role is Admin or Builder;
}

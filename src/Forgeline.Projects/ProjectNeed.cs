namespace Forgeline.Projects;

/// <summary>What a caller wants to do with a project, for <see cref="ProjectService.AccessAsync"/>.</summary>
public enum ProjectNeed
{
    /// <summary>Read it and install from it.</summary>
    See,

    /// <summary>Add and change packages, start builds.</summary>
    Build,

    /// <summary>Change its settings and members.</summary>
    Administer,
}

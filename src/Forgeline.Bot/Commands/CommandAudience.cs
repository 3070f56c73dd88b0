namespace Forgeline.Bot.Commands;

/// <summary>
/// Who may use a command. <see cref="CommandPermissions"/> decides it, in one place, for every plugin; a plugin may refuse
/// more (for example the author's own <c>/lgtm</c>).
/// </summary>
public enum CommandAudience
{
    /// <summary>Anyone who can comment.</summary>
    Anyone,

    /// <summary>Anyone, on a trusted pull request (its author is a member or collaborator, or someone ran <c>/ok-to-test</c>).</summary>
    AnyoneOnTrusted,

    /// <summary>Reviewers or approvers from OWNERS, repository collaborators, or collaborators added to this issue or pull request.</summary>
    Reviewers,

    /// <summary>Approvers from OWNERS (any OWNERS file of the repository).</summary>
    Approvers,

    /// <summary>Members (collaborators) of the repository.</summary>
    Members,

    /// <summary>Members of the trusted organisation (configuration <c>trusted_org</c>).</summary>
    TrustedOrgMembers,

    /// <summary>The author of the issue or pull request, or members of the repository.</summary>
    AuthorOrMembers,

    /// <summary>The author of the issue or pull request, or <see cref="Reviewers"/>.</summary>
    AuthorOrReviewers,
}

namespace Forgeline.Bot.Commands;

/// <summary>
/// One slash command, declared once as data: the parser reads it, <c>/help</c> and <c>GET /api/v1/bot/help</c> list it, and
/// the docs table is generated from it, so usage, parsing and help never drift.
/// </summary>
/// <param name="Name">The command without the slash, lower case: <c>lgtm</c>, <c>remove-label</c>.</param>
/// <param name="Usage">How to type it: <c>/lgtm [cancel]</c>.</param>
/// <param name="Description">What it does, one sentence.</param>
/// <param name="Audience">Who may use it.</param>
/// <param name="Plugin">The plugin that handles it.</param>
/// <param name="Arguments">What may follow the name: <see cref="CommandArguments.None"/>, <see cref="CommandArguments.Optional"/> or <see cref="CommandArguments.Required"/>.</param>
/// <param name="Who">Who may use it, in words, when the audience alone does not say it all (shown instead of the audience's text).</param>
/// <param name="CancelAudience">Who may use <c>/name cancel</c>, when that differs from <paramref name="Audience"/> (e.g. the author may cancel their lgtm).</param>
public sealed record CommandSpec(
    string Name,
    string Usage,
    string Description,
    CommandAudience Audience,
    string Plugin = "",
    CommandArguments Arguments = CommandArguments.Optional,
    string? Who = null,
    CommandAudience? CancelAudience = null)
{
    /// <summary>Who may use <c>/name cancel</c>, in words (the same as <see cref="WhoText"/> unless <see cref="CancelAudience"/> differs).</summary>
    public string CancelWhoText => CancelAudience is { } cancel && cancel != Audience ? (this with { Audience = cancel, Who = null }).WhoText : WhoText;

    /// <summary>Who may use it, in words.</summary>
    public string WhoText => Who ?? Audience switch
    {
        CommandAudience.Anyone => "anyone",
        CommandAudience.AnyoneOnTrusted => "anyone, on trusted pull requests",
        CommandAudience.Reviewers => "reviewers and approvers from OWNERS, collaborators",
        CommandAudience.Approvers => "approvers from OWNERS",
        CommandAudience.Members => "repository members",
        CommandAudience.TrustedOrgMembers => "members of the trusted organisation",
        CommandAudience.AuthorOrMembers => "the author, repository members",
        CommandAudience.AuthorOrReviewers => "the author, reviewers and approvers from OWNERS, collaborators",
        _ => Audience.ToString(),
    };
}

/// <summary>What may follow a command's name.</summary>
public enum CommandArguments
{
    /// <summary>Nothing; a command with text after it is not this command (<c>/lgtmfoo</c>, <c>/close please</c> are ignored).</summary>
    None,

    /// <summary>Arguments may follow.</summary>
    Optional,

    /// <summary>At least one argument must follow; without, the bot answers with the usage.</summary>
    Required,
}

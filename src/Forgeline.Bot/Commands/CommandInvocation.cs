namespace Forgeline.Bot.Commands;

/// <summary>One command found in a comment.</summary>
/// <param name="Spec">The command.</param>
/// <param name="Arguments">What followed its name, split on white space (<c>@</c> kept).</param>
/// <param name="Line">The whole line, for answers that quote it.</param>
public sealed record CommandInvocation(CommandSpec Spec, IReadOnlyList<string> Arguments, string Line)
{
    /// <summary>The arguments that are user names, without the leading <c>@</c>.</summary>
    public IReadOnlyList<string> Logins => [.. Arguments.Select(a => a.TrimStart('@')).Where(a => a.Length > 0)];

    /// <summary>Whether the only argument is <c>cancel</c> (<c>/lgtm cancel</c>, <c>/hold cancel</c>).</summary>
    public bool IsCancel => Arguments is [var only] && only.Equals("cancel", StringComparison.OrdinalIgnoreCase);
}

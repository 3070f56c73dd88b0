using System.Text.RegularExpressions;
using Forgeline.Bot.Commands;

namespace Forgeline.Bot.Plugins;

/// <summary>
/// The user names a command names (<c>/assign @a @b</c>, <c>/cc</c>, <c>/add-collaborator</c>): the <c>@</c> and trailing
/// commas dropped, duplicates removed, and what cannot be a login on any forge set apart, so it never reaches an API call
/// or is echoed back as a mention.
/// </summary>
/// <param name="Logins">The well-formed logins, lower case, in the order given.</param>
/// <param name="Malformed">The arguments that are not logins, as typed.</param>
public sealed partial record LoginArguments(IReadOnlyList<string> Logins, IReadOnlyList<string> Malformed)
{
    /// <summary>The most people one command may name; more is refused whole (a pasted list is more likely a mistake than a wish).</summary>
    public const int Max = 10;

    /// <summary>Reads the logins of <paramref name="command"/>; with none given, the sender when <paramref name="sender"/> is set.</summary>
    public static LoginArguments Of(CommandInvocation command, string? sender = null)
    {
        var logins = new List<string>();
        var malformed = new List<string>();
        foreach (var argument in command.Arguments)
        {
            var login = argument.TrimStart('@').TrimEnd(',', ';').ToLowerInvariant();
            if (login.Length == 0)
            {
                continue;
            }

            if (!LoginPattern().IsMatch(login))
            {
                malformed.Add(argument);
            }
            else if (!logins.Contains(login))
            {
                logins.Add(login);
            }
        }

        if (logins.Count == 0 && malformed.Count == 0 && sender is not null)
        {
            logins.Add(sender.ToLowerInvariant());
        }

        return new LoginArguments(logins, malformed);
    }

    /// <summary>Whether the command names more than <see cref="Max"/> people.</summary>
    public bool TooMany => Logins.Count + Malformed.Count > Max;

    /// <summary>What to tell about <see cref="Malformed"/> (<c>`x` is not a user name</c>); null when all are logins.</summary>
    public string? MalformedText => Malformed.Count switch
    {
        0 => null,
        1 => $"{Quoted(Malformed)} is not a user name",
        _ => $"{Quoted(Malformed)} are not user names",
    };

    /// <summary><c>@a, @b</c>.</summary>
    public static string Mentions(IEnumerable<string> logins) => string.Join(", ", logins.Select(l => $"@{l}"));

    /// <summary>The arguments as code spans, for answers that quote what was typed (<c>`x`, `y`</c>).</summary>
    public static string Quoted(IEnumerable<string> arguments) => string.Join(", ", arguments.Select(a => $"`{a.Replace("`", "", StringComparison.Ordinal)}`"));

    // GitHub: letters, digits, single hyphens; GitLab and Gitee also allow dots and underscores. 100 is above every forge's limit.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex LoginPattern();
}

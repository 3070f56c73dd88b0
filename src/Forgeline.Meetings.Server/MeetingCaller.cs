namespace Forgeline.Meetings.Server;

/// <summary>Who calls the meetings part.</summary>
/// <param name="Principal">The user (or a token's owner); empty when anonymous.</param>
/// <param name="Groups">The groups (SIGs) the caller is in.</param>
/// <param name="IsAdmin">Holds the server's admin scope: may book for any SIG.</param>
public sealed record MeetingCaller(string Principal, IReadOnlyCollection<string> Groups, bool IsAdmin)
{
    /// <summary>Someone not signed in.</summary>
    public static readonly MeetingCaller Anonymous = new("", [], false);

    /// <summary>Whether the caller may book and change the meetings of <paramref name="sig"/>.</summary>
    public bool MayBookFor(string sig) => IsAdmin || Groups.Contains(sig, StringComparer.Ordinal);
}

namespace Forgeline.Testing;

/// <summary>A commit of a fake pull request.</summary>
/// <param name="Sha">Its id.</param>
/// <param name="AuthorName">The author's name in the commit.</param>
/// <param name="AuthorEmail">The author's e-mail address in the commit.</param>
/// <param name="AuthorLogin">The forge account that e-mail belongs to, or null when the forge knows none.</param>
/// <param name="Message">The commit message.</param>
public sealed record FakeCommit(string Sha, string AuthorName, string AuthorEmail, string? AuthorLogin, string Message = "A change");

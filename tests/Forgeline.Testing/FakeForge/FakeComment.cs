namespace Forgeline.Testing;

/// <summary>A comment on a fake issue or pull request.</summary>
/// <param name="Id">Its id, unique across the fake.</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Body">Its Markdown text.</param>
/// <param name="CreatedAt">When it was written.</param>
public sealed record FakeComment(long Id, string Author, string Body, DateTimeOffset CreatedAt);

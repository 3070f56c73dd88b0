namespace Forgeline.Testing;

/// <summary>A file a fake pull request changes.</summary>
/// <param name="Path">Its path after the change.</param>
/// <param name="Status"><c>added</c>, <c>modified</c>, <c>removed</c> or <c>renamed</c>.</param>
/// <param name="PreviousPath">Its path before a rename, else null.</param>
public sealed record FakeChangedFile(string Path, string Status = "modified", string? PreviousPath = null);

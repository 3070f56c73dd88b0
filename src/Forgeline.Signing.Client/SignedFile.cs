namespace Forgeline.Signing.Client;

/// <summary>The outcome for one file of a signing run: where the signed result is, or why the file was left untouched.</summary>
public sealed record SignedFile(string Source, string? Output, string? Error)
{
    /// <summary>Whether it was signed.</summary>
    public bool Succeeded => Error is null;
}

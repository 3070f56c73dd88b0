namespace Forgeline.Core.Workers;

/// <summary>The rule for worker labels (capabilities such as <c>kvm</c> or <c>big</c> that builds can ask for).</summary>
public static class WorkerLabel
{
    /// <summary>Longest label.</summary>
    public const int MaxLength = 63;

    /// <summary>The rule, in words, for error messages.</summary>
    public const string Rule = "1-63 lower-case letters, digits, '-', '_' or '.'";

    /// <summary>Whether <paramref name="label"/> follows the rule.</summary>
    public static bool IsValid(string? label) =>
        !string.IsNullOrEmpty(label) && label.Length <= MaxLength && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.');
}

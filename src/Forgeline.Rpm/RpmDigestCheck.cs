namespace Forgeline.Rpm;

/// <summary>
/// One digest (or size) a package carries, compared with what its bytes give; named as <c>rpmkeys -Kv</c> names it, e.g.
/// "Payload SHA256 digest".
/// </summary>
/// <param name="Name">What was checked, in rpm's words: "Header SHA256 digest", "Payload SHA256 digest", "MD5 digest", "Size".</param>
/// <param name="Expected">The value the package records (lower-case hex for digests, a byte count for the size).</param>
/// <param name="Actual">The value its bytes give.</param>
public sealed record RpmDigestCheck(string Name, string Expected, string Actual)
{
    /// <summary>True when the bytes give the recorded value.</summary>
    public bool Ok => string.Equals(Expected, Actual, StringComparison.OrdinalIgnoreCase);

    /// <summary>"Name: OK", or "Name: BAD (expected …, got …)" as rpmkeys -Kv reports it.</summary>
    public override string ToString() => Ok ? $"{Name}: OK" : $"{Name}: BAD (expected {Expected}, got {Actual})";
}

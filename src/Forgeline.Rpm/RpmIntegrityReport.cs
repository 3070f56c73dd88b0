namespace Forgeline.Rpm;

/// <summary>What <see cref="RpmIntegrity.Check(Stream)"/> found: the package's headers and every digest it carries, each OK or BAD.</summary>
/// <param name="Package">The lead and headers that were read.</param>
/// <param name="Checks">The digests and the size, in the order rpmkeys -Kv lists them.</param>
public sealed record RpmIntegrityReport(RpmPackage Package, IReadOnlyList<RpmDigestCheck> Checks)
{
    /// <summary>True when the package carries at least one digest and every one of them, and its size, match its bytes.</summary>
    public bool IsIntact => Checks.Count > 0 && Checks.All(c => c.Ok);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<RpmDigestCheck> Failures => Checks.Where(c => !c.Ok);

    /// <summary>The failed checks in one line ("Payload SHA256 digest: BAD (expected …, got …); MD5 digest: BAD …"), or why none could be made.</summary>
    public string Problem => Checks.Count == 0
        ? "the package carries no digest (no header SHA256/SHA1, payload digest or MD5), so it cannot be checked"
        : string.Join("; ", Failures);
}

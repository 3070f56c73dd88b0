namespace Forgeline.Rpm;

/// <summary>Capabilities as an RPM header lists them (name, flags, version arrays).</summary>
public static class HeaderCapabilities
{
    private const int Less = 0x02;
    private const int Greater = 0x04;
    private const int Equal = 0x08;

    /// <summary>What the package provides, its own name included.</summary>
    public static IEnumerable<RpmCapability> Provides(RpmHeader header) => Read(header, RpmTag.ProvideName, RpmTag.ProvideFlags, RpmTag.ProvideVersion);

    /// <summary>What the package requires; for a source package, its BuildRequires (<c>rpmlib(…)</c> features included).</summary>
    public static IEnumerable<RpmCapability> Requires(RpmHeader header) => Read(header, RpmTag.RequireName, RpmTag.RequireFlags, RpmTag.RequireVersion);

    private static IEnumerable<RpmCapability> Read(RpmHeader header, int nameTag, int flagsTag, int versionTag)
    {
        var names = header.GetStringArray(nameTag) ?? [];
        var flags = header.GetInt32Array(flagsTag) ?? [];
        var versions = header.GetStringArray(versionTag) ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            var version = i < versions.Count && versions[i].Length > 0 ? versions[i] : null;
            var sense = i < flags.Length ? flags[i] & (Less | Greater | Equal) : 0;
            var op = sense switch
            {
                Less => "<",
                Less | Equal => "<=",
                Equal => "=",
                Greater | Equal => ">=",
                Greater => ">",
                _ => null,
            };
            yield return new RpmCapability(names[i], version is null ? null : op, op is null ? null : version);
        }
    }
}

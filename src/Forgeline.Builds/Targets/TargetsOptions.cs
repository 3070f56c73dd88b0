namespace Forgeline.Builds.Targets;

/// <summary>
/// Build targets from the server's settings, <c>Forgeline:Targets:NAME:…</c>: listed with source <c>settings</c>, never
/// changed or deleted through the API. Checked at start-up by <see cref="TargetsOptionsValidator"/>.
/// </summary>
public sealed class TargetsOptions
{
    /// <summary>The settings section.</summary>
    public const string Section = "Forgeline:Targets";

    /// <summary>The targets, by name.</summary>
    public Dictionary<string, TargetSettings> Targets { get; } = new(StringComparer.Ordinal);
}

/// <summary>One target in the settings (<c>Forgeline:Targets:NAME</c>).</summary>
public sealed class TargetSettings
{
    /// <summary>The RPM architecture of its roots.</summary>
    public string? Arch { get; set; }

    /// <summary>Its repositories by id; dnf is given them in the order of their ids.</summary>
    public Dictionary<string, TargetRepositorySettings> Repositories { get; } = new(StringComparer.Ordinal);

    /// <summary>Base packages (<c>BasePackages:0</c>, <c>BasePackages:1</c> …); <c>@buildsys-build</c> when none.</summary>
    public List<string> BasePackages { get; } = [];

    /// <summary>RPM macros by name.</summary>
    public Dictionary<string, string> Macros { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>%{dist}</c> of its builds.</summary>
    public string? DistTag { get; set; }

    /// <summary>Where rpm keeps its database inside the root.</summary>
    public string? RpmDbPath { get; set; }

    /// <summary>dnf's <c>$releasever</c>.</summary>
    public string? ReleaseVersion { get; set; }
}

/// <summary>One repository of a settings target.</summary>
public sealed class TargetRepositorySettings
{
    /// <summary>Where it is (<c>http://</c>, <c>https://</c> or <c>file://</c>).</summary>
    public string? Url { get; set; }

    /// <summary>Armored OpenPGP public key text.</summary>
    public string? GpgKey { get; set; }

    /// <summary>A file holding the armored key, read at start-up (instead of <see cref="GpgKey"/>).</summary>
    public string? GpgKeyFile { get; set; }

    /// <summary>Whether the repository signs its metadata (<c>repomd.xml.asc</c>) too, so dnf checks it with the key.</summary>
    public bool SignedMetadata { get; set; }
}

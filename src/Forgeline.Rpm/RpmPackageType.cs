namespace Forgeline.Rpm;

/// <summary>The package type recorded in the RPM lead.</summary>
public enum RpmPackageType
{
    /// <summary>A binary package (lead type 0).</summary>
    Binary = 0,

    /// <summary>A source package (lead type 1).</summary>
    Source = 1,
}

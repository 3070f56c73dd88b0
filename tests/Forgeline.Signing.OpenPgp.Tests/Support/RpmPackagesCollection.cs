namespace Forgeline.Signing.OpenPgp.Tests.Support;

/// <summary>Shares one <see cref="RpmTestPackages"/> (one rpmbuild run) between the RPM test classes.</summary>
[CollectionDefinition(Name)]
public sealed class RpmPackagesCollection : ICollectionFixture<RpmTestPackages>
{
    /// <summary>The collection name.</summary>
    public const string Name = "rpm packages for openpgp";
}

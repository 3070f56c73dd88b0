namespace Forgeline.Rpm.Tests;

/// <summary>Shares one <see cref="BuiltPackages"/> instance, so rpmbuild runs once, across the test classes that need it.</summary>
[CollectionDefinition(Name)]
public sealed class BuiltPackagesCollection : ICollectionFixture<BuiltPackages>
{
    /// <summary>The collection name.</summary>
    public const string Name = "built rpm packages";
}

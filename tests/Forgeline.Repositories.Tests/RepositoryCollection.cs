namespace Forgeline.Repositories.Tests;

/// <summary>The repository tests share one <see cref="RepositoryPackagesFixture"/>: made once, used one test at a time.</summary>
[CollectionDefinition("repositories")]
public sealed class RepositoryCollection : ICollectionFixture<RepositoryPackagesFixture>;

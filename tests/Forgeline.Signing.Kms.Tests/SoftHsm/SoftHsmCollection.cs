namespace Forgeline.Signing.Kms.Tests.SoftHsm;

/// <summary>
/// The tests that use SoftHSM: one collection, so they share one private token directory and SOFTHSM2_CONF, which the
/// module reads at C_Initialize, once per process; they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM";
}

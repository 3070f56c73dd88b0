using Forgeline.Core.Targets;

namespace Forgeline.Core.Tests.Targets;

/// <summary>What a target definition may hold: each bad field is refused with a message naming it.</summary>
public sealed class TargetRulesTests
{
    private const string Key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nkey\n-----END PGP PUBLIC KEY BLOCK-----\n";

    [Theory]
    [InlineData("ftp://mirror.example.org/os/", null, false, "is not a repository URL; use http://, https:// or file://")]
    [InlineData("/srv/repo", null, false, "is not a repository URL")]
    [InlineData("https://mirror.example.org/os/", "not a key", false, "must be an armored OpenPGP public key")]
    [InlineData("https://mirror.example.org/os/", null, true, "signed metadata can only be checked with a GPG key")]
    public void A_repository_that_dnf_could_not_use_safely_is_refused(string url, string? key, bool signedMetadata, string message)
    {
        TargetRules.RepositoryProblem(new TargetRepository("base", url, key, signedMetadata)).ShouldNotBeNull().ShouldContain(message);
    }

    [Fact]
    public void A_repository_with_its_key_and_signed_metadata_is_accepted()
    {
        TargetRules.RepositoryProblem(new TargetRepository("base", "https://mirror.example.org/os/", Key, SignedMetadata: true)).ShouldBeNull();
    }

    [Fact]
    public void An_arch_rpm_does_not_know_is_refused_naming_the_ones_it_does()
    {
        var problem = TargetRules.FindProblem("oe", new PutTargetRequest("amd64", [new TargetRepository("base", "https://mirror.example.org/os/")]));

        problem.ShouldNotBeNull().ShouldContain("x86_64, aarch64");
    }
}

using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Core.Workers;

namespace Forgeline.Projects.Tests.Targets;

/// <summary>The project's repository in its builds' roots: its chroot's URL on the server, checked with the project's key.</summary>
public sealed class ProjectRootLayerTests
{
    private const string PublicKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nproject key\n-----END PGP PUBLIC KEY BLOCK-----\n";

    [Fact]
    public async Task The_layer_is_the_chroots_repository_with_the_projects_public_key()
    {
        var layer = await ProjectRootLayer.OfAsync("demo", "project-demo", "oe-arm", new OneKey("project-demo"), default);

        layer.ShouldBe(new JobRepository("project", "/repos/demo/oe-arm/", PublicKey, JobRepository.ProjectLayer));
        layer!.SignedMetadata.ShouldBeTrue("Forgeline signs its repositories' repomd.xml");
    }

    [Fact]
    public async Task Without_the_projects_key_there_is_no_layer_rather_than_an_unchecked_one()
    {
        (await ProjectRootLayer.OfAsync("demo", "gone-key", "oe-arm", new OneKey("project-demo"), default)).ShouldBeNull();
    }

    private sealed class OneKey(string name) : ISigningBackend
    {
        public string Description => "test";

        public Task<ServiceResult<KeyDto>> GetKeyAsync(string keyName, CancellationToken cancellationToken) => Task.FromResult(keyName == name
            ? new KeyDto(name, "openpgp", "ed25519", ["rpm", "file"], "F", "K", "demo", null, DateTimeOffset.UtcNow, null, false, [], PublicKey, [])
            : ServiceResult<KeyDto>.Fail(ServiceError.NotFound, "no key"));

        public Task<ServiceResult<KeyDto>> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, SignRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Testing;

namespace Forgeline.Projects.Tests.Targets;

/// <summary>The project's repository in its builds' roots: only once published, with the project's public key.</summary>
public sealed class ProjectRootLayerTests : IAsyncLifetime
{
    private const string PublicKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nproject key\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite);
        await using var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task The_projects_repository_is_layered_only_after_its_first_publication_and_carries_the_projects_key()
    {
        await using var db = database.Open();
        var project = new ProjectRecord { Name = "demo", Owner = "alice", Chroots = "oe-arm", SigningKey = "project-demo", IsPublic = false };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var layer = new ProjectRootLayer(db, new OneKey("project-demo"));

        (await layer.RepositoryAsync(project.Id, "oe-arm", default)).ShouldBeNull("no repository row yet");
        var repository = new RepositoryRecord { ProjectId = project.Id, Chroot = "oe-arm", ContentVersion = 1 };
        db.Repositories.Add(repository);
        await db.SaveChangesAsync();
        (await layer.RepositoryAsync(project.Id, "oe-arm", default)).ShouldBeNull("packages recorded but never published: nothing for dnf to read");

        repository.PublishedAt = DateTime.UtcNow;
        await db.SaveChangesAsync();
        (await layer.RepositoryAsync(project.Id, "oe-arm", default)).ShouldBe(new JobRepository("project", "/repos/demo/oe-arm/", PublicKey, JobRepository.ProjectLayer));
        (await layer.RepositoryAsync(project.Id, "other-chroot", default)).ShouldBeNull("another chroot's repository was never published");
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

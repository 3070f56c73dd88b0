using Forgeline.Builds.Artifacts;
using Forgeline.Repositories;
using Forgeline.Core;
using Forgeline.Data.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Projects;

/// <summary>Where the projects' repositories live on disk (<c>repos/PROJECT/CHROOT/</c>), how they are published and served.</summary>
public sealed class ProjectRepositories(ForgelinePaths paths, ArtifactStore store, IServiceScopeFactory scopes)
{
    /// <summary>The URL path of a repository, relative to the server.</summary>
    public static string UrlOf(string project, string chroot) => $"/repos/{project}/{chroot}/";

    /// <summary>The URL path of a chroot's <c>.repo</c> file.</summary>
    public static string RepoFileUrlOf(string project, string chroot) => $"/repos/{project}/{chroot}.repo";

    /// <summary>The URL path of the project's public key.</summary>
    public static string PublicKeyUrlOf(string project) => $"/repos/{project}/pubkey.asc";

    /// <summary>Publishes <paramref name="content"/> as the chroot's repository, atomically, with repomd.xml signed by the project's key.</summary>
    public async Task<ServiceResult<PublishResult>> PublishAsync(ProjectRecord project, string chroot, IReadOnlyList<RepositoryPackageRecord> content, CancellationToken cancellationToken)
    {
        var packages = content.Select(r => new RepositoryPackage(r.FileName, store.PathOf(r.Sha256), r.Sha256)).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var signer = scope.ServiceProvider.GetRequiredService<ProjectSigner>();
        try
        {
            return await PublisherOf(project.Name, chroot).PublishAsync(packages, (repomd, ct) => signer.SignRepomdAsync(project, repomd, ct), cancellationToken);
        }
        catch (Exception e) when (e is RepositoryPublishException or InvalidOperationException or IOException)
        {
            return ServiceResult<PublishResult>.Fail(ServiceError.Conflict, e.Message);
        }
    }

    /// <summary>The file a URL path inside a chroot's repository names, or null (absent, or outside the repository).</summary>
    public string? Resolve(string project, string chroot, string path) =>
        ResourceName.IsValid(project) && ProjectRules.IsRepositoryName(chroot) ? PublisherOf(project, chroot).Resolve(path) : null;

    /// <summary>Removes a deleted project's repositories from disk: renamed away first, so nothing half-deleted is ever served.</summary>
    public void DeleteProjectFiles(string project)
    {
        var root = Path.Combine(paths.Repositories, project);
        if (!Directory.Exists(root))
        {
            return;
        }

        var doomed = Path.Combine(paths.Repositories, $".deleted-{project}-{Guid.NewGuid():N}");
        Directory.Move(root, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    private RepositoryPublisher PublisherOf(string project, string chroot) => new(Path.Combine(paths.Repositories, project, chroot));
}

using System.Text;
using System.Text.Json;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Images;
using Forgeline.Core.Signing;
using Forgeline.Core.Workers;
using Forgeline.Data.Entities;
using Forgeline.Images.Definitions;
using Forgeline.Images.Plans;
using Forgeline.Projects;

namespace Forgeline.Images.Server;

/// <summary>
/// Turns image builds and VM jobs into build-farm builds of kind <see cref="SourceKind.Image"/>: writes the
/// <see cref="ImageJobSpec"/> (repositories resolved: a project's is <c>/repos/P/CHROOT/</c> with the project's key; the
/// disks and RPMs a VM job needs named by digest) and submits it with the <c>qemu</c> label as the project's build.
/// </summary>
public sealed class ImageJobComposer(BuildService builds, ProjectService projects, ISigningBackend keys)
{
    private static readonly ProjectCaller System = new("images", "images", IsAdmin: true);

    /// <summary>Submits <paramref name="build"/>; the farm build's id, or the reason it cannot be built.</summary>
    public async Task<(long? BuildId, string? Problem)> SubmitBuildAsync(ImageBuildRecord build, CancellationToken cancellationToken)
    {
        if (await projects.FindAsync(build.Project, System, cancellationToken) is not { } project)
        {
            return (null, $"project '{build.Project}' is gone");
        }

        ImageDefinition definition;
        try
        {
            definition = ImageDefinitionReader.Read(build.Yaml, $"image {build.Image}");
        }
        catch (ImageDefinitionException e)
        {
            return (null, e.Message);
        }

        var repositories = new List<JobRepository>();
        for (var i = 0; i < definition.Repositories.Count; i++)
        {
            var (repository, problem) = await ResolveAsync(definition.Repositories[i], i, cancellationToken);
            if (problem is not null)
            {
                return (null, problem);
            }

            repositories.Add(repository!);
        }

        var spec = new ImageJobSpec(Build: new ImageBuildSpec(build.Image, build.Yaml, repositories));
        return await SubmitAsync(project, spec, $"{build.Image}.image.json", $"image-build/{build.Id}", cancellationToken);
    }

    /// <summary>Submits the VM job <paramref name="job"/> of <paramref name="run"/> booting <paramref name="disk"/>.</summary>
    public async Task<(long? BuildId, string? Problem)> SubmitJobAsync(ImageRunRecord run, ImageRunJobRecord job, ImageBuildRecord image, JobDependency disk, CancellationToken cancellationToken)
    {
        if (await projects.FindAsync(run.Project, System, cancellationToken) is not { } project)
        {
            return (null, $"project '{run.Project}' is gone");
        }

        var plan = ImageQueries.ReadPlan(run.Yaml);
        var planJob = plan?.Jobs.FirstOrDefault(j => j.Name == job.Name);
        if (plan is null || planJob is null)
        {
            return (null, "the plan of this run no longer reads");
        }

        var definition = ImageDefinitionReader.Read(image.Yaml, $"image {image.Image}");
        var files = ImageQueries.FilesOf(image);
        JobDependency? FileOf(string format) => files.FirstOrDefault(f => f.Format == format) is { } f ? new JobDependency(f.Name, f.Sha256) : null;
        var (kernel, initrd) = planJob.Firmware ? (null, null) : (FileOf("vmlinux"), FileOf("initrd"));
        if (!planJob.Firmware && (kernel is null || initrd is null))
        {
            return (null, $"image '{image.Image}' has no kernel for direct boot (vmlinux, initrd); boot it with firmware: true");
        }

        var rpms = planJob.Repository ? await PublishedAsync(definition, cancellationToken) : null;
        var spec = new ImageJobSpec(Vm: new ImageVmJobSpec(run.Yaml, run.Plan, job.Name, disk, kernel, initrd, definition.Kernel.Cmdline, rpms));
        return await SubmitAsync(project, spec, $"{run.Plan}-{job.Name}.vm.json", $"image-job/{job.Id}", cancellationToken);
    }

    private async Task<(long? BuildId, string? Problem)> SubmitAsync(ProjectRecord project, ImageJobSpec spec, string fileName, string origin, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, ForgelineJson.Options);
        var upload = await builds.UploadSourceAsync(new MemoryStream(json, writable: false), ImageJobSpec.UploadKind, null, cancellationToken);
        if (!upload.IsSuccess)
        {
            return (null, upload.Message);
        }

        var request = new SubmitBuildRequest(new BuildSource(SourceKind.Image, upload.Value!.Sha256, fileName), Labels: [ImageJobSpec.QemuLabel], NoCache: true);
        var submitted = await builds.SubmitAsync(project.Owner, request, cancellationToken, new BuildPlacement(ProjectId: project.Id, Origin: origin));
        return submitted.IsSuccess ? (submitted.Value!.Id, null) : (null, $"the build farm refused it: {submitted.Message}");
    }

    private async Task<(JobRepository? Repository, string? Problem)> ResolveAsync(ImageRepository repository, int index, CancellationToken cancellationToken)
    {
        if (repository.Url is { } url)
        {
            if (repository.GpgKey is { } key && !key.Contains("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal))
            {
                return (null, $"repository {url}: gpg_key must be the armored key itself ('forgeline image set' reads a key file for you)");
            }

            return (new JobRepository(repository.Id ?? $"repo{index + 1}", url, repository.GpgKey, JobRepository.TargetLayer, SignedMetadata: false), null);
        }

        if (await projects.FindAsync(repository.Project!, System, cancellationToken) is not { } other)
        {
            return (null, $"there is no project '{repository.Project}'");
        }

        var chroot = repository.Chroot ?? DefaultChroot(other);
        var layer = await ProjectRootLayer.OfAsync(other.Name, other.SigningKey, chroot, keys, cancellationToken);
        return layer is null
            ? (null, $"the key of project '{other.Name}' ({other.SigningKey}) cannot be read, so its packages could not be checked")
            : (layer with { Id = repository.Id ?? other.Name }, null);
    }

    // A project repository without a chroot is the project's first one.
    private static string DefaultChroot(ProjectRecord project) => project.ChrootList is [var first, ..] ? first : "";

    private async Task<List<JobDependency>> PublishedAsync(ImageDefinition definition, CancellationToken cancellationToken)
    {
        var rpms = new List<JobDependency>();
        foreach (var repository in definition.Repositories.Where(r => r.Project is not null))
        {
            if (await projects.FindAsync(repository.Project!, System, cancellationToken) is { } other)
            {
                rpms.AddRange(await projects.PublishedPackagesAsync(other, repository.Chroot ?? DefaultChroot(other), cancellationToken));
            }
        }

        return rpms;
    }
}

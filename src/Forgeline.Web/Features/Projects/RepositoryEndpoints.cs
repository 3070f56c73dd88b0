using System.Security.Claims;
using Forgeline.Repositories;
using Forgeline.Projects;
using Forgeline.Core.Signing;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Features.Projects;

/// <summary>
/// <c>/repos/…</c>: what dnf reads. A repository's files, the project's public key and a <c>.repo</c> file per chroot.
/// Public projects are open to everyone; a private one answers 404 to anyone who is not a member, except to build
/// workers: dnf on a worker reads any project's repository for a build root, with HTTP Basic auth (user <c>forgeline</c>,
/// the worker's token as password), which the token scheme already accepts.
/// </summary>
public static class RepositoryEndpoints
{
    /// <summary>Maps the repository routes.</summary>
    public static IEndpointRouteBuilder MapRepositoryEndpoints(this IEndpointRouteBuilder app)
    {
        var repos = app.MapGroup("/repos").WithTags("Repositories").AllowAnonymous();
        repos.MapGet("/{project}/pubkey.asc", PublicKeyAsync).WithSummary("The project's public key (armored OpenPGP): rpm and dnf check packages and repomd.xml with it");
        repos.MapGet("/{project}/{file}", RepoFileAsync).WithSummary("CHROOT.repo: a file for /etc/yum.repos.d with gpgcheck and repo_gpgcheck on");
        repos.MapGet("/{project}/{chroot}/{**path}", FileAsync).WithSummary("A file of the chroot's repository (repodata/, packages)");
        return app;
    }

    // Whoever reads: a token with the worker scope reads every project's repositories (not their settings or builds).
    private static ProjectCaller Reader(ClaimsPrincipal user) =>
        ProjectEndpoints.Caller(user) with { ReadsEveryRepository = user.HasClaim(Scopes.ClaimType, Scopes.Worker) };

    private static async Task<Results<ContentHttpResult, NotFound>> PublicKeyAsync(string project, ClaimsPrincipal user, ProjectService projects, ISigningBackend keys, CancellationToken cancellationToken)
    {
        if (await projects.FindAsync(project, Reader(user), cancellationToken) is not { } record
            || await keys.GetKeyAsync(record.SigningKey, cancellationToken) is not { IsSuccess: true, Value: { } key })
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Text(key.PublicKey, "application/pgp-keys");
    }

    private static async Task<Results<ContentHttpResult, NotFound>> RepoFileAsync(
        string project, string file, HttpRequest request, ClaimsPrincipal user, ProjectService projects, IOptions<ProjectsOptions> options, CancellationToken cancellationToken)
    {
        if (!file.EndsWith(".repo", StringComparison.Ordinal) || await projects.FindAsync(project, Reader(user), cancellationToken) is not { } record)
        {
            return TypedResults.NotFound();
        }

        var chroot = file[..^".repo".Length];
        if (!record.ChrootList.Contains(chroot))
        {
            return TypedResults.NotFound();
        }

        var server = options.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
        var text = RepoFile.Render(
            id: $"forgeline-{project}-{chroot}",
            name: $"Forgeline project {project} ({chroot})",
            baseUrl: server + ProjectRepositories.UrlOf(project, chroot),
            gpgKeyUrl: server + ProjectRepositories.PublicKeyUrlOf(project));
        return TypedResults.Text(text, "text/plain; charset=utf-8");
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound>> FileAsync(
        string project, string chroot, string? path, ClaimsPrincipal user, ProjectService projects, ProjectRepositories repositories, CancellationToken cancellationToken)
    {
        if (await projects.FindAsync(project, Reader(user), cancellationToken) is null
            || repositories.Resolve(project, chroot, path ?? "") is not { } file)
        {
            return TypedResults.NotFound();
        }

        var type = Path.GetExtension(file) switch
        {
            ".rpm" => "application/x-rpm",
            ".xml" => "application/xml",
            ".asc" => "application/pgp-signature",
            ".gz" => "application/gzip",
            ".zst" => "application/zstd",
            ".bz2" => "application/x-bzip2",
            ".xz" => "application/x-xz",
            _ => "application/octet-stream",
        };
        return TypedResults.PhysicalFile(file, type, enableRangeProcessing: true);
    }
}

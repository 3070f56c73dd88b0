using System.Security.Cryptography;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Data.Entities;
using Forgeline.Rpm;
using Forgeline.Signing.Client;
using Forgeline.Signing.OpenPgp;

namespace Forgeline.Projects;

/// <summary>
/// Signs what a project publishes with the project's key, through the <see cref="ISigningBackend"/> (the signer in this
/// process, or a separate signer node; the key never leaves it): each RPM's header, and the repository's repomd.xml
/// (detached, armored). In-process, every signature is in the audit trail as <c>project:NAME</c>.
/// </summary>
public sealed class ProjectSigner(ISigningBackend backend, ArtifactStore store, TimeProvider time)
{
    /// <summary>An RPM of a build, signed and stored.</summary>
    /// <param name="Artifact">The build's unsigned RPM.</param>
    /// <param name="Sha256">Digest of the signed RPM in the store.</param>
    /// <param name="Size">Its size.</param>
    /// <param name="Header">Its main header (the same before and after signing).</param>
    public sealed record SignedRpm(ArtifactRecord Artifact, string Sha256, long Size, RpmHeader Header);

    /// <summary>
    /// Signs the RPMs of a build; an RPM whose stored bytes do not match its recorded digest is refused, and so is the build.
    /// Nothing is returned unless every RPM was signed (a refusing or unreachable signer fails the whole build's publication).
    /// </summary>
    public async Task<ServiceResult<List<SignedRpm>>> SignRpmsAsync(ProjectRecord project, IReadOnlyList<ArtifactRecord> rpms, CancellationToken cancellationToken)
    {
        var contents = new List<(ArtifactRecord Artifact, byte[] Bytes)>();
        foreach (var rpm in rpms)
        {
            var path = store.PathOf(rpm.Sha256);
            if (!File.Exists(path))
            {
                return Fail<List<SignedRpm>>($"{rpm.Name} of build {rpm.BuildId} is missing from the artifact store; it was not published");
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != rpm.Sha256)
            {
                return Fail<List<SignedRpm>>($"{rpm.Name} of build {rpm.BuildId} does not match its digest (recorded {rpm.Sha256}, stored file {actual}): it was tampered with or damaged and was not published");
            }

            contents.Add((rpm, bytes));
        }

        // The checked bytes are what is signed and assembled, never the file again (it could change in between).
        var signedBytes = new byte[contents.Count][];
        var items = contents.Select((c, i) => new RpmToSign(c.Artifact.Name, () => new MemoryStream(c.Bytes, writable: false), (write, _) =>
        {
            using var output = new MemoryStream(c.Bytes.Length + 1024);
            write(output);
            signedBytes[i] = output.ToArray();
            return ValueTask.CompletedTask;
        })).ToList();
        string?[] problems;
        try
        {
            problems = await Signer(project).SignRpmsAsync(items, null, cancellationToken);
        }
        catch (SigningFailedException e)
        {
            return Fail<List<SignedRpm>>($"signing with key '{project.SigningKey}' ({backend.Description}) failed: {e.Message}");
        }

        if (problems.Select((p, i) => (p, i)).FirstOrDefault(x => x.p is not null) is ({ } problem, var index))
        {
            var rpm = contents[index].Artifact;
            return Fail<List<SignedRpm>>($"{rpm.Name} of build {rpm.BuildId} was not signed and nothing was published: {problem}");
        }

        var signed = new List<SignedRpm>(contents.Count);
        for (var i = 0; i < contents.Count; i++)
        {
            var (sha, size) = await store.PutBytesAsync(signedBytes[i], cancellationToken);
            signed.Add(new SignedRpm(contents[i].Artifact, sha, size, RpmPackage.Read(new MemoryStream(contents[i].Bytes, writable: false)).Header));
        }

        return signed;
    }

    /// <summary>A detached, armored signature of a repository's repomd.xml, checked before it is returned.</summary>
    public Task<string> SignRepomdAsync(ProjectRecord project, byte[] repomd, CancellationToken cancellationToken) =>
        SignDetachedAsync(project, () => new MemoryStream(repomd, writable: false), "repomd.xml", cancellationToken);

    /// <summary>
    /// A detached, armored signature of the file <paramref name="open"/> reads (an image, a repository's repomd.xml) made with
    /// the project's key, checked before it is returned; <see cref="InvalidOperationException"/> says why when it cannot be made.
    /// </summary>
    public async Task<string> SignDetachedAsync(ProjectRecord project, Func<Stream> open, string name, CancellationToken cancellationToken)
    {
        try
        {
            var signature = await Signer(project).SignDetachedAsync(open, name, cancellationToken);
            return OpenPgpDetachedSignature.Armor(signature);
        }
        catch (SigningFailedException e) when (e.Error == ServiceError.NotFound)
        {
            throw new InvalidOperationException($"project '{project.Name}' signs with key '{project.SigningKey}', which {backend.Description} does not have; set another with 'forgeline project edit {project.Name} --key NAME' ({e.Message})");
        }
        catch (OpenPgpRequestException e)
        {
            throw new InvalidOperationException($"{name} of project '{project.Name}' was not signed: {e.Message}");
        }
        catch (SigningFailedException e)
        {
            throw new InvalidOperationException($"signing {name} of project '{project.Name}' with key '{project.SigningKey}' ({backend.Description}) failed: {e.Message}");
        }
    }

    private FileSigner Signer(ProjectRecord project) => new(backend, project.SigningKey, $"project:{project.Name}", time);

    private static ServiceResult<T> Fail<T>(string message) => ServiceResult<T>.Fail(ServiceError.Conflict, message);
}

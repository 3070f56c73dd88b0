using System.Security.Cryptography;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Data.Entities;
using Forgeline.Rpm;
using Forgeline.Signing;
using Forgeline.Signing.OpenPgp;

namespace Forgeline.Projects;

/// <summary>
/// Signs what a project publishes with the project's key, inside the signer (the key never leaves it): each RPM's header,
/// and the repository's repomd.xml (detached, armored). Every signature is in the audit trail as <c>project:NAME</c>.
/// </summary>
public sealed class ProjectSigner(SigningService signing, SigningKeyService keys, ArtifactStore store, TimeProvider time)
{
    private const int Batch = 100;

    /// <summary>An RPM of a build, signed and stored.</summary>
    /// <param name="Artifact">The build's unsigned RPM.</param>
    /// <param name="Sha256">Digest of the signed RPM in the store.</param>
    /// <param name="Size">Its size.</param>
    /// <param name="Header">Its main header (the same before and after signing).</param>
    public sealed record SignedRpm(ArtifactRecord Artifact, string Sha256, long Size, RpmHeader Header);

    /// <summary>Signs the RPMs of a build; an RPM whose stored bytes do not match its recorded digest is refused, and so is the build.</summary>
    public async Task<ServiceResult<List<SignedRpm>>> SignRpmsAsync(ProjectRecord project, IReadOnlyList<ArtifactRecord> rpms, CancellationToken cancellationToken)
    {
        var contents = new List<(ArtifactRecord Artifact, byte[] Bytes, byte[] Header)>();
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

            try
            {
                contents.Add((rpm, bytes, RpmSignatureApplier.ReadHeaderForSigning(new MemoryStream(bytes, writable: false))));
            }
            catch (RpmFormatException e)
            {
                return Fail<List<SignedRpm>>($"{rpm.Name} of build {rpm.BuildId} is not a valid RPM: {e.Message}");
            }
        }

        var signed = new List<SignedRpm>();
        foreach (var chunk in contents.Chunk(Batch))
        {
            var answer = await signing.SignAsync(project.SigningKey, Signer(project), isAdmin: true,
                new SignRequest("rpm", chunk.Select(c => new SignItem(c.Artifact.Name, Data: c.Header)).ToList()), cancellationToken);
            if (!answer.IsSuccess)
            {
                return Fail<List<SignedRpm>>($"signing with key '{project.SigningKey}' failed: {answer.Message}");
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                using var output = new MemoryStream();
                RpmSignatureApplier.Apply(new MemoryStream(chunk[i].Bytes, writable: false), answer.Value!.Signatures[i], output);
                var (sha, size) = await store.PutBytesAsync(output.ToArray(), cancellationToken);
                signed.Add(new SignedRpm(chunk[i].Artifact, sha, size, RpmPackage.Read(new MemoryStream(chunk[i].Bytes, writable: false)).Header));
            }
        }

        return signed;
    }

    /// <summary>A detached, armored signature of a repository's repomd.xml, checked before it is returned.</summary>
    public async Task<string> SignRepomdAsync(ProjectRecord project, byte[] repomd, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(project.SigningKey, cancellationToken)
            ?? throw new InvalidOperationException($"project '{project.Name}' signs with key '{project.SigningKey}', which no longer exists; set another with 'forgeline project edit {project.Name} --key NAME'");
        var publicKey = OpenPgpPublicKeyInfo.Parse(key.PublicKey);
        var prepared = OpenPgpDetachedSignature.Prepare(publicKey, new MemoryStream(repomd, writable: false), time.GetUtcNow(), HashAlgorithmName.SHA256);
        var item = new SignItem("repomd.xml", Digest: prepared.Digest, Hash: prepared.Hash == OpenPgpHashAlgorithm.Sha512 ? "sha512" : "sha256",
            HashedArea: prepared.HashedArea, SignatureType: prepared.SignatureType);
        var answer = await signing.SignAsync(project.SigningKey, Signer(project), isAdmin: true, new SignRequest("file", [item]), cancellationToken);
        if (!answer.IsSuccess)
        {
            throw new InvalidOperationException($"signing repomd.xml of project '{project.Name}' with key '{project.SigningKey}' failed: {answer.Message}");
        }

        var signature = answer.Value!.Signatures[0];
        if (!OpenPgpDetachedSignature.Verify(publicKey, new MemoryStream(repomd, writable: false), signature))
        {
            throw new InvalidOperationException($"the signature of repomd.xml does not verify with key {publicKey.Fingerprint}");
        }

        return OpenPgpDetachedSignature.Armor(signature);
    }

    private static string Signer(ProjectRecord project) => $"project:{project.Name}";

    private static ServiceResult<T> Fail<T>(string message) => ServiceResult<T>.Fail(ServiceError.Conflict, message);
}

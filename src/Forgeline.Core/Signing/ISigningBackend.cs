namespace Forgeline.Core.Signing;

/// <summary>
/// The signer as the rest of Forgeline sees it: keys (public parts only), a key made inside the signer, and signatures over
/// what must be signed (RPM headers, prepared digests, small payloads) — never whole files and never private material.
/// Two implementations: in-process (this process holds the master key and is a signer) and over HTTP to a separate signer
/// node. Assembling signed files from the answers is done once, in <c>Forgeline.Signing.Client.FileSigner</c>, for both.
/// </summary>
public interface ISigningBackend
{
    /// <summary>Where the signing happens, for messages: "this server" or the remote signer's URL.</summary>
    string Description { get; }

    /// <summary>A key's public description; <see cref="ServiceError.NotFound"/> when there is none by that name.</summary>
    Task<ServiceResult<KeyDto>> GetKeyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes a key inside the signer.</summary>
    Task<ServiceResult<KeyDto>> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Signs every item of <paramref name="request"/> with the key <paramref name="keyName"/>; <paramref name="signer"/> is who the
    /// audit trail names (in-process; a remote signer names the token this node uses).
    /// </summary>
    Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, SignRequest request, CancellationToken cancellationToken);
}

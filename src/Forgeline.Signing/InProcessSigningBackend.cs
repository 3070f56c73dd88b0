using Forgeline.Core;
using Forgeline.Core.Signing;

namespace Forgeline.Signing;

/// <summary>
/// <see cref="ISigningBackend"/> inside this process: the keys are unsealed here, so this process needs the master key (or
/// the HSM). Registered only where the signer runs; a node configured with a remote signer uses the HTTP backend instead.
/// </summary>
/// <remarks>Its callers are the server's own parts (project publication), which check who may publish themselves: the key's
/// list of allowed signers is for tokens, so signing here acts as an admin would.</remarks>
public sealed class InProcessSigningBackend(SigningService signing, SigningKeyService keys) : ISigningBackend
{
    /// <inheritdoc />
    public string Description => "this server's signer";

    /// <inheritdoc />
    public Task<ServiceResult<KeyDto>> GetKeyAsync(string name, CancellationToken cancellationToken) => keys.GetAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<ServiceResult<KeyDto>> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken) => keys.CreateAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, SignRequest request, CancellationToken cancellationToken) =>
        signing.SignAsync(keyName, signer, isAdmin: true, request, cancellationToken);
}

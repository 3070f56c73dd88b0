using Forgeline.Core;

namespace Forgeline.Signing.Client;

/// <summary>The signer refused a request or could not be reached; the message is the signer's own, for the user.</summary>
public sealed class SigningFailedException(ServiceError error, string message) : Exception(message)
{
    /// <summary>Why: refused (not found, forbidden, conflict …) or unavailable.</summary>
    public ServiceError Error { get; } = error;
}

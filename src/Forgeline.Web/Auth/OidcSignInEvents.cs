using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Forgeline.Web.Auth;

/// <summary>An OpenID Connect provider's sign-in, after the handler validated the ID token (signature, issuer, audience, nonce, expiry).</summary>
public sealed class OidcSignInEvents(ExternalSignIn signIn) : OpenIdConnectEvents
{
    /// <inheritdoc />
    public override Task TicketReceived(TicketReceivedContext context) => signIn.CompleteAsync(context);

    /// <inheritdoc />
    public override Task RemoteFailure(RemoteFailureContext context) => signIn.FailAsync(context);
}

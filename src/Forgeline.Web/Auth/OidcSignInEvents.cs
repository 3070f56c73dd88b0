using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Forgeline.Web.Auth;

/// <summary>An OpenID Connect provider's sign-in, after the handler validated the ID token (signature, issuer, audience, nonce, expiry).</summary>
public sealed class OidcSignInEvents(ExternalSignIn signIn) : OpenIdConnectEvents
{
    /// <summary>
    /// Refuses an ID token without a signature. The handler validates a signature when there is one, but lets an
    /// <c>alg: none</c> token from the token endpoint through (OpenID Connect allows relying on TLS there); Forgeline
    /// does not, so a provider's token endpoint that is spoofed or misconfigured cannot sign anyone in.
    /// </summary>
    public override Task TokenValidated(TokenValidatedContext context)
    {
        var token = context.SecurityToken;
        if (token is null || string.IsNullOrEmpty(token.RawSignature) || token.Header.Alg is null || token.Header.Alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            context.Fail("the provider's ID token is not signed; Forgeline accepts only signed ID tokens");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task TicketReceived(TicketReceivedContext context) => signIn.CompleteAsync(context);

    /// <inheritdoc />
    public override Task RemoteFailure(RemoteFailureContext context) => signIn.FailAsync(context);
}

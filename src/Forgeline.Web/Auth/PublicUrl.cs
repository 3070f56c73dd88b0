using Forgeline.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Auth;

/// <summary>
/// Behind a TLS-terminating proxy, makes every request look as it did to the person's browser
/// (<see cref="AccountsOptions.PublicUrl"/>), so providers get https redirect URIs and cookies are <c>Secure</c>. Taken
/// from the settings, not from <c>X-Forwarded-*</c> headers that any client could send.
/// </summary>
public static class PublicUrl
{
    /// <summary>Rewrites scheme and host when <c>Forgeline:Accounts:PublicUrl</c> is set.</summary>
    public static IApplicationBuilder UsePublicUrl(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<AccountsOptions>>().Value.PublicUrl is not { } configured)
        {
            return app;
        }

        var url = new Uri(configured);
        var host = url.IsDefaultPort ? new HostString(url.Host) : new HostString(url.Host, url.Port);
        return app.Use((context, next) =>
        {
            context.Request.Scheme = url.Scheme;
            context.Request.Host = host;
            return next(context);
        });
    }
}

using Forgeline.Cli;
using Forgeline.Core.Client;
using Forgeline.Core.Signing;
using Forgeline.Signing;
using Forgeline.Signing.Client;
using Forgeline.Web;

namespace Forgeline.Server;

/// <summary>
/// Which <see cref="ISigningBackend"/> a server node uses. Without <c>Forgeline:Signing:Remote:Url</c> the node is a signer:
/// the in-process backend, the key store and the master key (opened at first use). With it, the node signs through that
/// signer node over HTTP and nothing that touches the master key or the KMS is registered at all.
/// </summary>
public static class SigningBackends
{
    /// <summary>
    /// Registers the backend; returns the targets to run (on a remote-signing node the signer target is dropped from the
    /// default targets, and refused when <paramref name="targetsChosen"/> names it).
    /// </summary>
    /// <exception cref="CliException">The remote settings are incomplete or contradict the targets; the message names the setting.</exception>
    public static ServerTargets Add(IServiceCollection services, IConfiguration configuration, Core.ForgelinePaths paths, ServerTargets targets, bool targetsChosen)
    {
        var remote = configuration.GetSection(RemoteSignerOptions.Section).Get<RemoteSignerOptions>() ?? new RemoteSignerOptions();
        if (string.IsNullOrWhiteSpace(remote.Url))
        {
            services.AddForgelineSigning(configuration, paths);
            services.AddScoped<ISigningBackend, InProcessSigningBackend>();
            return targets;
        }

        if (!Uri.TryCreate(remote.Url.EndsWith('/') ? remote.Url : remote.Url + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CliException($"{RemoteSignerOptions.Section}:Url must be the signer node's http(s) URL, not '{remote.Url}'");
        }

        if (targetsChosen && targets.HasFlag(ServerTargets.Signer))
        {
            throw new CliException($"{RemoteSignerOptions.Section}:Url is set, so this node signs through the signer at {url}; do not run the signer target here too (leave it out of --targets, or unset the setting to make this node the signer)");
        }

        var token = remote.Token;
        if (string.IsNullOrWhiteSpace(token) && remote.TokenFile is { Length: > 0 } file)
        {
            token = File.Exists(file) ? File.ReadAllText(file).Trim() : throw new CliException($"{RemoteSignerOptions.Section}:TokenFile '{file}' does not exist");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CliException($"{RemoteSignerOptions.Section}:Token (or TokenFile) is not set; create a token with the sign scope on the signer node ('forgeline token create NAME --scope sign admin') and set it");
        }

        if (remote.TimeoutSeconds is < 1 or > 3600)
        {
            throw new CliException($"{RemoteSignerOptions.Section}:TimeoutSeconds must be between 1 and 3600, not {remote.TimeoutSeconds}");
        }

        services.AddSingleton(new ForgelineClient(url, token));
        services.AddSingleton<ISigningBackend>(sp => new HttpSigningBackend(sp.GetRequiredService<ForgelineClient>(), $"the signer at {url}", TimeSpan.FromSeconds(remote.TimeoutSeconds)));
        return targets & ~ServerTargets.Signer;
    }
}

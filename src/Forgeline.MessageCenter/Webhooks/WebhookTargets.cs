using System.Net;
using System.Net.Sockets;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// Which addresses webhooks may connect to. Checked on the address actually connected to (in the HTTP handler's connect
/// callback, after DNS), so a name that resolves to loopback, or resolves differently the second time (DNS rebinding),
/// is refused all the same.
/// </summary>
public sealed class WebhookTargets
{
    // Not reachable from outside, or not unicast: a webhook has no business there unless an admin says so.
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly bool allowAll;
    private readonly IReadOnlyList<IPNetwork> allowed;

    /// <summary>Reads the admin's exceptions from <paramref name="options"/>.</summary>
    public WebhookTargets(MessageCenterOptions options)
    {
        allowAll = options.AllowPrivateTargets;
        allowed = [.. options.AllowedTargets.Select(IPNetwork.Parse)];
    }

    /// <summary>Why <paramref name="address"/> may not be connected to; null when it may.</summary>
    public string? Problem(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (allowAll || allowed.Any(n => n.Contains(address)) || !Refused.Any(n => n.Contains(address)))
        {
            return null;
        }

        return $"{address} is a loopback, link-local, private, unspecified or multicast address; webhooks may not target it " +
            "unless an admin allows it (Forgeline:Events:AllowPrivateTargets, or the network in Forgeline:Events:AllowedTargets)";
    }

    /// <summary>
    /// Checks a subscription URL when it is made: http(s), absolute, and not a literal address or name that is refused
    /// anyway. Names are checked again on every connection.
    /// </summary>
    public string? UrlProblem(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"url must be an absolute http:// or https:// URL, not '{url}'";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not carry a user name or password; use the subscription secret to authenticate deliveries";
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host, out var literal))
        {
            return Problem(literal) is { } problem ? $"url {problem}" : null;
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? Problem(IPAddress.Loopback) is { } local ? $"url {local}" : null
            : null;
    }

    /// <summary>Connects to the first allowed address of the request's host; throws when it has none.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            if (Problem(address) is { } problem)
            {
                refusal ??= problem;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
        }

        if (failure is not null)
        {
            throw failure;
        }

        throw new WebhookTargetRefusedException(refusal ?? $"{host} has no address");
    }
}

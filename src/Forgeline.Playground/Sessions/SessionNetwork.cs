using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Forgeline.Playground.Sessions;

/// <summary>
/// The only places a session may reach, when its environment names any (<c>HOST:PORT</c>, TCP): the session gets a
/// user-mode network of its own (Debian's <c>pasta</c>, from passt) and, in its network namespace, a firewall that
/// drops every packet out but to those addresses and ports. Names are resolved on the host when the session starts and
/// pinned in the session's <c>/etc/hosts</c>, so the session needs no DNS (and gets none). Without entries a session
/// has no network at all (bubblewrap's empty network namespace).
/// </summary>
/// <param name="Allowed">The endpoints, resolved.</param>
public sealed record SessionNetwork(IReadOnlyList<SessionNetwork.Endpoint> Allowed)
{
    /// <summary>The name the host machine itself has inside a session (its loopback services, e.g. Forgeline's own repositories).</summary>
    public const string HostName = "host.playground.internal";

    /// <summary>Most entries an environment may name.</summary>
    public const int MaxEntries = 16;

    /// <summary>What the sandbox's script replaces with the address the host machine has inside the session (pasta's gateway).</summary>
    internal const string HostAddress = "@host";

    /// <summary>One reachable endpoint.</summary>
    /// <param name="Name">The name the session uses for it.</param>
    /// <param name="Address">Its IPv4 address (or <see cref="HostAddress"/>).</param>
    /// <param name="Port">Its TCP port.</param>
    public sealed record Endpoint(string Name, string Address, int Port);

    /// <summary>What is wrong with an environment's entries, or null.</summary>
    public static string? FindProblem(IReadOnlyList<string>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        if (entries.Count > MaxEntries)
        {
            return $"network names at most {MaxEntries} endpoints, not {entries.Count}";
        }

        foreach (var entry in entries)
        {
            if (Parse(entry) is null)
            {
                return $"network entry '{entry}' is not HOST:PORT (a DNS name or IPv4 address, and a port 1–65535), e.g. repo.openeuler.org:443";
            }
        }

        return null;
    }

    /// <summary>Resolves <paramref name="entries"/> on this host; null for no entries (no network).</summary>
    public static async Task<SessionNetwork?> ResolveAsync(IReadOnlyList<string>? entries, CancellationToken cancellationToken)
    {
        if (entries is not { Count: > 0 })
        {
            return null;
        }

        var allowed = new List<Endpoint>();
        foreach (var entry in entries)
        {
            var (host, port) = Parse(entry) ?? throw new ArgumentException(FindProblem([entry]));
            if (host == "localhost" || IPAddress.TryParse(host, out var literal) && IPAddress.IsLoopback(literal))
            {
                allowed.Add(new Endpoint(HostName, HostAddress, port));
            }
            else if (IPAddress.TryParse(host, out var address))
            {
                allowed.Add(new Endpoint(host, address.ToString(), port));
            }
            else
            {
                IPAddress[] addresses;
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken);
                }
                catch (SocketException e)
                {
                    throw new IOException($"the session's network allows '{host}', which cannot be resolved: {e.Message}", e);
                }

                allowed.AddRange(addresses.Select(a => new Endpoint(host, a.ToString(), port)));
            }
        }

        return new SessionNetwork(allowed);
    }

    /// <summary>The firewall's endpoints for the sandbox's script: <c>ADDRESS:PORT</c>, space-separated.</summary>
    internal string AllowText => string.Join(' ', Allowed.Select(e => $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}").Distinct(StringComparer.Ordinal));

    /// <summary>The session's extra <c>/etc/hosts</c> lines.</summary>
    internal string HostsText => string.Join('\n', Allowed.Where(e => e.Name != e.Address).Select(e => $"{e.Address} {e.Name}").Distinct(StringComparer.Ordinal));

    private static (string Host, int Port)? Parse(string entry)
    {
        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = entry[..colon].ToLowerInvariant();
        var isAddress = IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork;
        var isName = host.Length <= 253 && Uri.CheckHostName(host) == UriHostNameType.Dns && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
        return isAddress || isName ? (host, port) : null;
    }
}

using Microsoft.Extensions.Configuration;

namespace Forgeline.Events;

/// <summary>
/// Which event bus to run: in-process when no broker is set, else the RabbitMQ broker at
/// <c>amqp://user:password@host:port/vhost</c> (or <c>amqps://</c> for TLS) from <c>FORGELINE_BROKER</c> or
/// <c>Forgeline:Broker</c>. <see cref="ToString"/> and every error message leave the password out.
/// </summary>
public sealed class BrokerSettings
{
    /// <summary>The environment variable that names the broker.</summary>
    public const string EnvironmentVariable = "FORGELINE_BROKER";

    /// <summary>The configuration key that names the broker when the environment variable is not set.</summary>
    public const string ConfigurationKey = "Forgeline:Broker";

    private const string Expected = "expected amqp://user:password@host:5672/vhost (amqps:// for TLS), or nothing for the in-process bus";

    private BrokerSettings(string setting, bool useTls, string host, int port, string virtualHost, string userName, string password)
    {
        Setting = setting;
        UseTls = useTls;
        Host = host;
        Port = port;
        VirtualHost = virtualHost;
        UserName = userName;
        Password = password;
    }

    /// <summary>No broker: events stay inside this process.</summary>
    public static BrokerSettings InProcess { get; } = new(EnvironmentVariable, false, "", 0, "", "", "");

    /// <summary>The setting the URL came from (<see cref="EnvironmentVariable"/> or <see cref="ConfigurationKey"/>), for messages.</summary>
    public string Setting { get; }

    /// <summary>True when no broker is set.</summary>
    public bool IsInProcess => Host.Length == 0;

    /// <summary>True for <c>amqps://</c>.</summary>
    public bool UseTls { get; }

    /// <summary>The broker's host name or address.</summary>
    public string Host { get; }

    /// <summary>The broker's port: as given, else 5672 (amqp) or 5671 (amqps).</summary>
    public int Port { get; }

    /// <summary>The RabbitMQ virtual host: the URL's path, percent-decoded; <c>/</c> when the URL has none.</summary>
    public string VirtualHost { get; }

    /// <summary>The user name; <c>guest</c> when the URL names none.</summary>
    public string UserName { get; }

    /// <summary>The password; <c>guest</c> when the URL names no user. Never logged.</summary>
    public string Password { get; }

    /// <summary>Reads the broker from <c>FORGELINE_BROKER</c>, then <c>Forgeline:Broker</c>; in-process when neither is set.</summary>
    /// <exception cref="FormatException">The setting is not a broker URL; the message names the setting and never holds the password.</exception>
    public static BrokerSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var fromEnvironment = configuration[EnvironmentVariable];
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? Parse(configuration[ConfigurationKey], ConfigurationKey)
            : Parse(fromEnvironment, EnvironmentVariable);
    }

    /// <summary>Parses a broker URL; empty or blank means in-process. <paramref name="setting"/> names the source in error messages.</summary>
    /// <exception cref="FormatException">The value is not a broker URL; the message never holds the password.</exception>
    public static BrokerSettings Parse(string? url, string setting = EnvironmentVariable) =>
        TryParse(url, out var settings, out var error, setting) ? settings : throw new FormatException(error);

    /// <summary>Parses a broker URL; on failure <paramref name="error"/> says what is wrong without the password.</summary>
    public static bool TryParse(string? url, out BrokerSettings settings, out string error, string setting = EnvironmentVariable)
    {
        settings = InProcess;
        error = "";
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            // The value itself is not echoed: it may hold a password.
            error = $"{setting} is not a URL; {Expected}";
            return false;
        }

        var tls = uri.Scheme switch
        {
            "amqp" => false,
            "amqps" => true,
            _ => (bool?)null,
        };
        if (tls is null)
        {
            error = $"{setting} uses the scheme '{uri.Scheme}'; {Expected}";
            return false;
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (host.Length == 0)
        {
            error = $"{setting} names no host; {Expected}";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"{setting} has a query or fragment, which Forgeline does not read; {Expected}";
            return false;
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls.Value ? 5671 : 5672) : uri.Port;
        if (port is < 1 or > 65535)
        {
            error = $"{setting} names port {port}; use a port from 1 to 65535";
            return false;
        }

        var path = uri.AbsolutePath.TrimStart('/');
        if (path.Contains('/', StringComparison.Ordinal))
        {
            error = $"{setting} has the path '/{path}': the path is the vhost, one segment; write a '/' inside a vhost name as %2F";
            return false;
        }

        var virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var (user, password) = ("guest", "guest");
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = $"{setting} names a user but no password (or no user before the ':'); {Expected}";
                return false;
            }

            (user, password) = (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }

        settings = new BrokerSettings(setting, tls.Value, host, port, virtualHost, user, password);
        return true;
    }

    /// <summary><c>in-process</c>, or the broker URL without the password: <c>amqp://user@host:port/vhost</c>.</summary>
    public override string ToString() =>
        IsInProcess
            ? "in-process"
            : $"{(UseTls ? "amqps" : "amqp")}://{Uri.EscapeDataString(UserName)}@{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}

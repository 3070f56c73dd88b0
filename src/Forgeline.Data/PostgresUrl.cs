using System.Globalization;
using Npgsql;

namespace Forgeline.Data;

/// <summary>
/// Turns a libpq-style URL, <c>postgres://USER:PASSWORD@HOST[:PORT]/DATABASE[?sslmode=require&amp;…]</c>, into an Npgsql
/// connection string. Problems name the part that is wrong but never quote the URL: it may hold a password.
/// </summary>
internal static class PostgresUrl
{
    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    // libpq parameter names that Npgsql spells differently; other names are tried as Npgsql keywords.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.Ordinal)
    {
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["user"] = "Username",
        ["dbname"] = "Database",
    };

    /// <summary>The connection string, or null and the problem.</summary>
    public static (string? ConnectionString, string? Problem) ToConnectionString(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        if (rest.Contains('#', StringComparison.Ordinal))
        {
            return (null, "contains '#': percent-encode it as %23 in the user name or password");
        }

        var query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            (rest, query) = (rest[..q], rest[(q + 1)..]);
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];

        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        if (HostProblem(authority, builder) is { } hostProblem)
        {
            return (null, hostProblem);
        }

        if (path.Length > 0)
        {
            var database = Decode(path);
            if (database.Contains('/', StringComparison.Ordinal))
            {
                return (null, "has more than one path segment; the path is the database name alone");
            }

            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (ParameterProblem(builder, name, value) is { } problem)
            {
                return (null, problem);
            }
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            return (null, "names no host");
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            return (null, "names no database: end the URL with /DATABASE");
        }

        return (builder.ConnectionString, null);
    }

    private static string? HostProblem(string authority, NpgsqlConnectionStringBuilder builder)
    {
        if (authority.Length == 0)
        {
            return null; // a host may still come as ?host=/run/postgresql (a Unix socket directory)
        }

        string host;
        var portText = "";
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < authority.Length && authority[close + 1] != ':'))
            {
                return "has a malformed IPv6 address: write it as [ADDRESS]:PORT";
            }

            host = authority[1..close];
            portText = close + 1 < authority.Length ? authority[(close + 2)..] : "";
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[(colon + 1)..];
            if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return "has no valid host name (special characters in the user name or password must be percent-encoded)";
            }
        }

        builder.Host = host;
        if (portText.Length > 0)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return "has a port that is not a number from 1 to 65535 (special characters in the password must be percent-encoded)";
            }

            builder.Port = port;
        }

        return null;
    }

    private static string? ParameterProblem(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        if (name == "sslmode")
        {
            if (!SslModes.TryGetValue(value, out var mode))
            {
                return $"has an unknown sslmode; use one of {string.Join(", ", SslModes.Keys)}";
            }

            builder.SslMode = mode;
            return null;
        }

        try
        {
            builder[LibpqNames.GetValueOrDefault(name, name)] = value;
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The value is not quoted: the parameter may be the password.
            return builder.ContainsKey(LibpqNames.GetValueOrDefault(name, name))
                ? $"has an invalid value for the parameter '{name}'"
                : $"has an unknown parameter '{name}'; use sslmode, sslrootcert, application_name, connect_timeout or an Npgsql connection string keyword";
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text);
}

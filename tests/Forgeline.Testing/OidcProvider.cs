using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Forgeline.Testing;

/// <summary>A user of the test OpenID provider: sign in with <see cref="Login"/> and <see cref="Password"/>.</summary>
/// <param name="Login">The login, also the <c>sub</c> and <c>preferred_username</c> claims.</param>
/// <param name="Password">The password (the same as the login).</param>
/// <param name="Name">The <c>name</c> claim.</param>
/// <param name="Email">The <c>email</c> claim.</param>
/// <param name="Groups">The <c>groups</c> claim (a JSON array in the ID token and from userinfo), in no particular order.</param>
public sealed record OidcTestUser(string Login, string Password, string Name, string Email, IReadOnlyList<string> Groups);

/// <summary>
/// A real OpenID Connect provider: LemonLDAP::NG 2.16 from Debian's <c>lemonldap-ng-fastcgi-server</c> and
/// <c>liblemonldap-ng-portal-perl</c>, behind an nginx of its own on a free loopback port, with its configuration, keys,
/// sessions and logs in a temp directory. <c>tests/oidc-provider/start</c> sets it up and <c>stop</c> ends it by its pid
/// files (see docs/oidc-provider-notes.md). One client, <see cref="ClientId"/>/<see cref="ClientSecret"/>, may use the
/// authorization code flow with PKCE (S256, required) and the redirect URIs given to <see cref="StartAsync"/>, matched
/// exactly; consent is skipped. ID tokens are RS256 with <c>sub</c>, <c>preferred_username</c>, <c>name</c>, <c>email</c>
/// and <c>groups</c>. The users are <see cref="Users"/>: <see cref="SigReleaseMember"/> is in the <c>sig-release</c>
/// group, <see cref="NotInSigRelease"/> is not. A watchdog stops the provider if the test process dies first. When the
/// packages are missing, starting throws and says how to install them; tests that need it fail rather than skip.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    /// <summary>The group that <see cref="SigReleaseMember"/> is in and <see cref="NotInSigRelease"/> is not.</summary>
    public const string SigReleaseGroup = "sig-release";

    /// <summary>CSS selector of the login form's user name input (<c>name="user"</c>).</summary>
    public const string UserFieldSelector = "#userfield";

    /// <summary>CSS selector of the login form's password input (<c>name="password"</c>).</summary>
    public const string PasswordFieldSelector = "#passwordfield";

    /// <summary>CSS selector of the login form's submit button ("Connect").</summary>
    public const string SubmitButtonSelector = "#lform button[type=submit]";

    /// <summary>The name of the provider's session cookie (set on 127.0.0.1).</summary>
    public const string SessionCookieName = "lemonldap";

    private const string DirectoryPrefix = "forgeline-oidc";
    private const int PortInUse = 75;

    private static readonly OidcTestUser Dwho = new("dwho", "dwho", "Doctor Who", "dwho@badwolf.org", [SigReleaseGroup, "timelords", "users"]);
    private static readonly OidcTestUser Rtyler = new("rtyler", "rtyler", "Rose Tyler", "rtyler@badwolf.org", ["earthlings", "users"]);
    private static readonly OidcTestUser Msmith = new("msmith", "msmith", "Mickey Smith", "msmith@badwolf.org", ["earthlings", "users"]);

    private readonly TempDirectory home;
    private readonly Process watchdog;
    private int stopped;

    private OidcProvider(TempDirectory home, Process watchdog, int port, IReadOnlyList<string> redirectUris, string? postLogoutRedirectUri)
    {
        this.home = home;
        this.watchdog = watchdog;
        Port = port;
        RedirectUris = redirectUris;
        PostLogoutRedirectUri = postLogoutRedirectUri;
    }

    /// <summary>The users, password = login: dwho, rtyler, msmith (LemonLDAP::NG's Demo backend).</summary>
    public static IReadOnlyList<OidcTestUser> Users { get; } = [Dwho, Rtyler, Msmith];

    /// <summary>dwho, in <see cref="SigReleaseGroup"/> (and timelords, users).</summary>
    public static OidcTestUser SigReleaseMember => Dwho;

    /// <summary>rtyler, not in <see cref="SigReleaseGroup"/> (earthlings, users).</summary>
    public static OidcTestUser NotInSigRelease => Rtyler;

    /// <summary>The issuer, <c>http://127.0.0.1:PORT</c> (no trailing slash), as in the discovery document and the <c>iss</c> claim.</summary>
    public string Issuer => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The discovery document's URL.</summary>
    public string DiscoveryUrl => $"{Issuer}/.well-known/openid-configuration";

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The client id of the one relying party.</summary>
    public string ClientId => "forgeline";

    /// <summary>Its client secret (client_secret_basic or client_secret_post).</summary>
    public string ClientSecret => "forgeline-secret";

    /// <summary>The redirect URIs the client may use, matched exactly.</summary>
    public IReadOnlyList<string> RedirectUris { get; }

    /// <summary>Where the end-session endpoint may send the browser back to, if one was given.</summary>
    public string? PostLogoutRedirectUri { get; }

    /// <summary>The state directory (configuration, keys, sessions, logs).</summary>
    public string StateDirectory => home.Path;

    /// <summary>What the portal (llng.log) and nginx (nginx/error.log) logged so far.</summary>
    public string Logs => ReadLogs(home);

    /// <summary>
    /// Starts a provider on a free port whose client accepts <paramref name="redirectUris"/> (exactly; at least one) and,
    /// after logout, <paramref name="postLogoutRedirectUri"/>; returns once the discovery document answers (about 1 s).
    /// </summary>
    public static async Task<OidcProvider> StartAsync(IEnumerable<string> redirectUris, string? postLogoutRedirectUri = null)
    {
        var uris = redirectUris.ToList();
        if (uris.Count == 0)
        {
            throw new ArgumentException("at least one redirect URI is needed", nameof(redirectUris));
        }

        var script = Path.Combine(ForgelineBinary.RepositoryRoot, "tests", "oidc-provider", "start");
        if (!File.Exists("/usr/sbin/llng-fastcgi-server") || !File.Exists("/usr/sbin/nginx"))
        {
            throw new InvalidOperationException(
                "LemonLDAP::NG or nginx is not installed (/usr/sbin/llng-fastcgi-server, /usr/sbin/nginx); the sign-in tests use a real " +
                "OpenID provider: run scripts/install-deps (it installs lemonldap-ng-fastcgi-server, liblemonldap-ng-portal-perl and nginx)");
        }

        StopOrphans();
        var home = new TempDirectory(DirectoryPrefix);
        var state = home["state"];
        // As root the servers run as www-data (the start script chowns the state directory to it): it must get through here.
        File.SetUnixFileMode(home.Path, (UnixFileMode)0b111_101_101);
        Process? watchdog = null;
        try
        {
            // Whose provider this is, so a later run can stop it if this process dies and its watchdog too.
            await File.WriteAllTextAsync(home["owner.pid"], Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            watchdog = StartWatchdog(home.Path, state);
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var args = new List<string> { "--state", state, "--port", port.ToString(CultureInfo.InvariantCulture) };
                foreach (var uri in uris)
                {
                    args.AddRange(["--redirect-uri", uri]);
                }

                if (postLogoutRedirectUri is not null)
                {
                    args.AddRange(["--post-logout-redirect-uri", postLogoutRedirectUri]);
                }

                var (code, stdout, stderr) = await ProcessRunner.RunAsync(script, args, home.Path, timeout: TimeSpan.FromSeconds(90));
                if (code == 0)
                {
                    var provider = new OidcProvider(home, watchdog, port, uris, postLogoutRedirectUri);
                    if (stdout.Trim() != provider.Issuer)
                    {
                        throw new InvalidOperationException($"{script} printed '{stdout.Trim()}', expected the issuer {provider.Issuer}");
                    }

                    return provider;
                }

                if (code != PortInUse || attempt == 3)
                {
                    throw new InvalidOperationException(
                        $"the test OpenID provider (LemonLDAP::NG) did not start: {script} exited {code}\n{stdout}\n{stderr}\n{ReadLogs(home)}");
                }
            }
        }
        catch
        {
            await StopAsync(home, watchdog);
            throw;
        }
    }

    /// <summary>Stops nginx and the FastCGI server by their pid files, then removes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await StopAsync(home, watchdog);
    }

    private static string StopScript => Path.Combine(ForgelineBinary.RepositoryRoot, "tests", "oidc-provider", "stop");

    private static async Task StopAsync(TempDirectory home, Process? watchdog)
    {
        if (Directory.Exists(home["state"]))
        {
            await ProcessRunner.RunAsync(StopScript, [home["state"]], home.Path, timeout: TimeSpan.FromSeconds(60));
        }

        if (watchdog is not null)
        {
            try
            {
                if (!watchdog.HasExited)
                {
                    watchdog.Kill(entireProcessTree: true);
                    await watchdog.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            watchdog.Dispose();
        }

        home.Dispose();
    }

    /// <summary>Waits for this test process to end, then stops the provider and removes its directory.</summary>
    private static Process StartWatchdog(string home, string state)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in new[]
                 {
                     "-c", "tail --pid=\"$0\" -f /dev/null; [ -d \"$2\" ] && \"$1\" \"$2\" >/dev/null 2>&1; rm -rf \"$3\"",
                     Environment.ProcessId.ToString(CultureInfo.InvariantCulture), StopScript, state, home,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Stops providers left behind by test processes that died without stopping them (their owner pid is gone).</summary>
    private static void StopOrphans()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "-*"))
        {
            try
            {
                var owner = Path.Combine(dir, "owner.pid");
                if (!File.Exists(owner) || Directory.Exists($"/proc/{int.Parse(File.ReadAllText(owner), CultureInfo.InvariantCulture)}"))
                {
                    continue;
                }

                var state = Path.Combine(dir, "state");
                if (Directory.Exists(state))
                {
                    // The stop script signals a pid only if it still holds a file of this state directory open.
                    using var stop = Process.Start(new ProcessStartInfo(StopScript, [state]) { UseShellExecute = false })!;
                    stop.WaitForExit(TimeSpan.FromSeconds(60));
                }

                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not ours to judge (another user's, or half-written): leave it.
            }
        }
    }

    private static string ReadLogs(TempDirectory home)
    {
        var text = new System.Text.StringBuilder();
        foreach (var relative in new[] { "state/llng.log", "state/nginx/error.log", "state/nginx/start.log" })
        {
            var path = home[relative];
            if (File.Exists(path))
            {
                text.Append("----- ").AppendLine(path).AppendLine(File.ReadAllText(path));
            }
        }

        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

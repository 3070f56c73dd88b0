using System.Globalization;
using Forgeline.Testing.Mail;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A <c>forgeline server</c> process whose meetings part books on a <see cref="FakeZoom"/> and mails a real SMTP server
/// (<see cref="SmtpSink"/>), for end-to-end tests and benches.
/// </summary>
public sealed class MeetingServer : IAsyncDisposable
{
    /// <summary>The webhook secret token the server checks Zoom's deliveries with.</summary>
    public const string WebhookSecret = "e2e-zoom-webhook-secret";

    private MeetingServer(ForgelineServer server, FakeZoom zoom, SmtpSink smtp)
    {
        Server = server;
        Zoom = zoom;
        Smtp = smtp;
    }

    /// <summary>The server.</summary>
    public ForgelineServer Server { get; }

    /// <summary>The fake Zoom it books on.</summary>
    public FakeZoom Zoom { get; }

    /// <summary>The SMTP server it mails.</summary>
    public SmtpSink Smtp { get; }

    /// <summary>
    /// Starts Zoom, the mail server and Forgeline (without a worker) with <paramref name="settings"/> on top, on
    /// <paramref name="port"/> when given (an OpenID provider's redirect URI must know it).
    /// </summary>
    public static async Task<MeetingServer> StartAsync(IDictionary<string, string?>? settings = null, int? port = null)
    {
        var zoom = await FakeZoom.StartAsync();
        var smtp = await SmtpSink.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["Forgeline__Meetings__MailingList"] = "{sig}@lists.example.org",
            ["Forgeline__Meetings__Zoom__AccountId"] = zoom.AccountId,
            ["Forgeline__Meetings__Zoom__ClientId"] = zoom.ClientId,
            ["FORGELINE_TEST_ZOOM_SECRET"] = zoom.ClientSecret,
            ["Forgeline__Meetings__Zoom__ClientSecret"] = "env:FORGELINE_TEST_ZOOM_SECRET",
            ["Forgeline__Meetings__Zoom__WebhookSecretToken"] = WebhookSecret,
            ["Forgeline__Meetings__Zoom__ApiBaseUrl"] = zoom.ApiBaseUrl,
            ["Forgeline__Meetings__Zoom__OAuthUrl"] = zoom.OAuthUrl,
            ["Forgeline__Meetings__Mail__Host"] = smtp.Host,
            ["Forgeline__Meetings__Mail__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Forgeline__Meetings__Mail__Security"] = "None",
            ["Forgeline__Meetings__Mail__FromAddress"] = "meetings@forgeline.example",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var server = await ForgelineServer.StartOnPortAsync(port ?? ForgelineServer.FreePort(), embeddedWorker: false, settings: environment);
        return new MeetingServer(server, zoom, smtp);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Zoom.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

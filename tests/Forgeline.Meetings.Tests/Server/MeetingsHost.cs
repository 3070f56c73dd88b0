using Forgeline.Accounts;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.Meetings.Server;
using Forgeline.Testing;
using Forgeline.Testing.Mail;
using Forgeline.Testing.Meetings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>
/// The meetings part as the server composes it, on a fresh database, booking on a fake Zoom and mailing a real SMTP
/// server (aiosmtpd), and on a fake Tencent Meeting when the test gives one; the coordinator does not run by itself: tests run its passes, with their own clock.
/// </summary>
internal sealed class MeetingsHost : IAsyncDisposable
{
    public const string WebhookSecret = "zoom-webhook-secret-token";

    /// <summary>The Tencent Meeting event subscription's Token, when the host books on a fake Tencent Meeting too.</summary>
    public const string TencentWebhookToken = "tencentwebhooktoken0000025";

    private readonly ServiceProvider provider;
    private readonly TempDirectory data;

    private readonly bool ownsDatabase;

    private MeetingsHost(TestDatabase database, ServiceProvider provider, FakeZoom zoom, SmtpSink? smtp, FakeTimeProvider? clock, TempDirectory data, bool ownsDatabase)
    {
        this.ownsDatabase = ownsDatabase;
        this.data = data;
        Database = database;
        this.provider = provider;
        Zoom = zoom;
        Smtp = smtp;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public FakeZoom Zoom { get; }

    public SmtpSink? Smtp { get; }

    /// <summary>The clock, when the test asked for one it moves itself.</summary>
    public FakeTimeProvider? Clock { get; }

    public IServiceProvider Services => provider;

    /// <summary>The server's data directory.</summary>
    public ForgelinePaths Paths => Services.GetRequiredService<ForgelinePaths>();

    public static async Task<MeetingsHost> StartAsync(
        bool mail = true, FakeTimeProvider? clock = null, IDictionary<string, string?>? settings = null, DatabaseEngine engine = DatabaseEngine.Sqlite,
        Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor? fault = null, TestDatabase? shared = null, FakeTencentMeeting? tencent = null)
    {
        var database = shared ?? await TestDatabase.CreateAsync(engine);
        var zoom = await FakeZoom.StartAsync();
        var smtp = mail ? await SmtpSink.StartAsync() : null;
        var values = new Dictionary<string, string?>
        {
            ["Forgeline:Meetings:MailingList"] = "{sig}@lists.example.org",
            ["Forgeline:Meetings:Zoom:AccountId"] = zoom.AccountId,
            ["Forgeline:Meetings:Zoom:ClientId"] = zoom.ClientId,
            ["Forgeline:Meetings:Zoom:ClientSecret"] = zoom.ClientSecret,
            ["Forgeline:Meetings:Zoom:WebhookSecretToken"] = WebhookSecret,
            ["Forgeline:Meetings:Zoom:ApiBaseUrl"] = zoom.ApiBaseUrl,
            ["Forgeline:Meetings:Zoom:OAuthUrl"] = zoom.OAuthUrl,
        };
        if (tencent is not null)
        {
            values["Forgeline:Meetings:Tencent:AppId"] = tencent.AppId;
            values["Forgeline:Meetings:Tencent:SdkId"] = tencent.SdkId;
            values["Forgeline:Meetings:Tencent:SecretId"] = tencent.SecretId;
            values["Forgeline:Meetings:Tencent:SecretKey"] = tencent.SecretKey;
            values["Forgeline:Meetings:Tencent:UserId"] = tencent.UserId;
            values["Forgeline:Meetings:Tencent:WebhookToken"] = TencentWebhookToken;
            values["Forgeline:Meetings:Tencent:ApiBaseUrl"] = tencent.ApiBaseUrl;
        }

        if (smtp is not null)
        {
            values["Forgeline:Meetings:Mail:Host"] = smtp.Host;
            values["Forgeline:Meetings:Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            values["Forgeline:Meetings:Mail:Security"] = "None";
            values["Forgeline:Meetings:Mail:FromAddress"] = "meetings@forgeline.example";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var data = new TempDirectory("fl-meetings");
        var paths = new ForgelinePaths(data.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock ?? TimeProvider.System);
        services.AddSingleton(paths);
        services.AddSingleton(new ArtifactStore(paths.Artifacts));
        services.AddDbContextPool<ForgelineDbContext>(o =>
        {
            o.UseForgelineDatabase(database.Settings, new OutboxSignal());
            if (fault is not null)
            {
                o.AddInterceptors(fault);
            }
        });
        services.AddForgelineAccounts(configuration);
        services.AddForgelineMeetings(configuration, runCoordinator: false);
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
        }

        return new MeetingsHost(database, provider, zoom, smtp, clock, data, ownsDatabase: shared is null);
    }

    /// <summary>Makes the group <paramref name="sig"/>.</summary>
    public async Task SigAsync(string sig)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<GroupService>().CreateGroupAsync(new CreateGroupRequest(sig), "admin", CancellationToken.None);
        result.IsSuccess.ShouldBeTrue(result.Message);
    }

    /// <summary>
    /// Makes the group sig-release and books, as its member alice, one hour titled <paramref name="title"/> on
    /// <paramref name="platform"/> at 09:00 UTC <paramref name="daysAhead"/> days from today.
    /// </summary>
    public async Task<MeetingDto> BookSigReleaseAsync(string title, string platform, int daysAhead = 2)
    {
        await SigAsync("sig-release");
        var start = DateTime.UtcNow.Date.AddDays(daysAhead).AddHours(9).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var alice = new MeetingCaller("alice", ["sig-release"], false);
        var booked = await WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b =>
            b.BookAsync(alice, new MeetingBookingRequest("sig-release", title, start, "UTC", 60, platform), CancellationToken.None));
        booked.IsSuccess.ShouldBeTrue(booked.Message);
        return booked.Value!;
    }

    /// <summary>Runs <paramref name="work"/> with a service of a new scope.</summary>
    public async Task<TResult> WithAsync<TService, TResult>(Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = provider.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs coordinator passes until one changes nothing.</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            if (!await WithAsync<MeetingCoordinatorPass, bool>(p => p.RunAsync(CancellationToken.None)))
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Zoom.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }

        data.Dispose();
    }
}

using System.Globalization;
using Forgeline.Meetings.Platforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Meetings.Server;

/// <summary>A platform account meetings may be booked on.</summary>
/// <param name="Name">Its name (<c>zoom</c> …).</param>
/// <param name="DisplayName">What people see.</param>
/// <param name="Client">Its client.</param>
/// <param name="ConcurrentMeetings">How many meetings it may hold at once.</param>
public sealed record MeetingPlatformAccount(string Name, string DisplayName, IMeetingPlatform Client, int ConcurrentMeetings);

/// <summary>
/// The platforms configured on this server: each backend of <see cref="MeetingPlatformBackends.All"/> whose section
/// (<c>Forgeline:Meetings:{Name}</c>, any case) has settings. A backend whose settings are incomplete is not offered; why is
/// logged when the part first uses them and given to whoever asks for it.
/// </summary>
public sealed partial class MeetingPlatforms
{
    /// <summary>The named HTTP client the platforms use.</summary>
    public const string HttpClientName = "meeting-platforms";

    private readonly Dictionary<string, MeetingPlatformAccount> accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> problems = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The platforms <paramref name="configuration"/> configures.</summary>
    public MeetingPlatforms(IConfiguration configuration, IHttpClientFactory http, TimeProvider time, IOptions<MeetingsOptions> options, ILogger<MeetingPlatforms> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var backend in MeetingPlatformBackends.All)
        {
            var section = configuration.GetSection(SectionOf(backend));
            if (!section.GetChildren().Any())
            {
                continue;
            }

            try
            {
                var client = backend.Create(key => section[key], http.CreateClient(HttpClientName), time);
                var limit = int.TryParse(section["ConcurrentMeetings"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : options.Value.ConcurrentMeetings;
                accounts[backend.Name] = new MeetingPlatformAccount(backend.Name, backend.DisplayName, client, limit);
            }
            catch (MeetingPlatformException e)
            {
                problems[backend.Name] = e.Message;
                LogMisconfigured(logger, backend.DisplayName, e.Message);
            }
        }
    }

    /// <summary>The platforms meetings may be booked on.</summary>
    public IReadOnlyCollection<MeetingPlatformAccount> Accounts => accounts.Values;

    /// <summary>The account called <paramref name="name"/>, or why there is none.</summary>
    public MeetingPlatformAccount? Find(string name, out string? problem)
    {
        if (accounts.TryGetValue(name, out var account))
        {
            problem = null;
            return account;
        }

        var known = MeetingPlatformBackends.Find(name);
        problem = known is null
            ? $"there is no meeting platform '{name}'; this server books on {Offered()}"
            : problems.TryGetValue(known.Name, out var why)
                ? $"{known.DisplayName} is not usable on this server: {why}"
                : $"{known.DisplayName} is not configured on this server ({SectionOf(known)}); it books on {Offered()}";
        return null;
    }

    /// <summary>Adds (or replaces) an account: for tests and for platforms made outside configuration.</summary>
    public void Add(MeetingPlatformAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        accounts[account.Name] = account;
    }

    /// <summary>The settings section of <paramref name="backend"/> (keys are case-insensitive: <c>Forgeline:Meetings:Zoom</c>).</summary>
    public static string SectionOf(IMeetingPlatformBackend backend) => $"{MeetingsOptions.Section}:{backend?.Name}";

    private string Offered() => accounts.Count == 0 ? "no platform (none is configured)" : string.Join(", ", accounts.Keys.Order(StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: {Platform} is not usable: {Problem}")]
    private static partial void LogMisconfigured(ILogger logger, string platform, string problem);
}

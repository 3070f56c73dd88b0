using Forgeline.Bot;
using Forgeline.Bot.Api;
using System.Text.Encodings.Web;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Forgeline.Web.Pages;

/// <summary>
/// The review bot: whether it is configured, its forges and their webhook URLs, delivery counts by state, the newest
/// deliveries with what each plugin did (admins only, as the deliveries API), its repositories' settings and its commands.
/// </summary>
public sealed class BotModel(BotQueries queries, BotRuntime runtime) : PageModel
{
    /// <summary>How many deliveries the table shows.</summary>
    public const int Newest = 50;

    /// <summary>Whether bot.yaml was found and loaded.</summary>
    public bool Configured => runtime.Config is not null;

    /// <summary>Why the bot is not configured.</summary>
    public string? Problem => runtime.Problem;

    /// <summary>The configuration file read (or looked for).</summary>
    public string ConfigPath => runtime.Path;

    /// <summary>The bot's login on the forges.</summary>
    public string? BotLogin => runtime.Config?.BotLogin;

    /// <summary>The three forges with their webhook URLs.</summary>
    public IReadOnlyList<BotForgeDto> Forges { get; private set; } = [];

    /// <summary>Deliveries per state in the last hour and day.</summary>
    public IReadOnlyList<BotDeliveryCountDto> Counts { get; private set; } = [];

    /// <summary>Whether the visitor is an admin: only admins see single deliveries (as with <c>GET /api/v1/bot/deliveries</c>) and server paths.</summary>
    public bool IsAdmin { get; private set; }

    /// <summary>The newest deliveries; empty unless <see cref="IsAdmin"/>.</summary>
    public IReadOnlyList<BotDeliveryDto> Deliveries { get; private set; } = [];

    /// <summary>The configured repository keys.</summary>
    public IReadOnlyList<BotRepoDto> Repositories { get; private set; } = [];

    /// <summary>Every command, as <c>/help</c> lists them.</summary>
    public IReadOnlyList<BotCommandDto> Commands { get; private set; } = [];

    /// <summary>Loads what the visitor may see.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Forges = queries.Forges($"{Request.Scheme}://{Request.Host}");
        Counts = await queries.DeliveryCountsAsync(cancellationToken);
        IsAdmin = User.HasClaim(Scopes.ClaimType, Scopes.Admin);
        Deliveries = IsAdmin ? await queries.DeliveriesAsync(null, Newest, cancellationToken) : [];
        Repositories = queries.Repositories();
        Commands = queries.Commands();
    }

    /// <summary>Command help as written for forge comments: <c>`code`</c> spans shown as code, everything else as plain text.</summary>
    public static IHtmlContent CodeSpans(string text)
    {
        var html = new HtmlContentBuilder();
        var parts = text.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            // An even index is outside backticks; an unmatched last backtick leaves its text plain.
            if (i % 2 == 1 && i < parts.Length - 1)
            {
                html.AppendHtml($"<span class=\"mono\">{HtmlEncoder.Default.Encode(parts[i])}</span>");
            }
            else
            {
                html.Append(i % 2 == 1 ? "`" + parts[i] : parts[i]);
            }
        }

        return html;
    }

    /// <summary>A time stored as UTC (the database may hand it back without its kind).</summary>
    public static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}

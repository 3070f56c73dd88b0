using Forgeline.Bot.Config;
using Forgeline.Bot.Deliveries;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins;
using Forgeline.Core;
using Microsoft.Extensions.Options;

namespace Forgeline.Bot;

/// <summary>
/// The bot's configuration as loaded at start-up: read from <see cref="BotOptions.Config"/> (or <c>&lt;data&gt;/bot.yaml</c>),
/// validated against the plugins that exist, secrets resolved. A configuration that names an unknown plugin, a bad URL or
/// a missing secret stops the server with a message naming the file and setting; no file at all leaves the bot off
/// (webhooks answer 503 saying so).
/// </summary>
public sealed class BotRuntime
{
    private readonly Dictionary<Forge, string> secrets = [];
    private readonly Dictionary<Forge, string> tokens = [];

    /// <summary>Loads the configuration; throws <see cref="BotConfigException"/> when it is not valid.</summary>
    public BotRuntime(IOptions<BotOptions> options, ForgelinePaths paths, IEnumerable<IBotPlugin> plugins)
    {
        Path = options.Value.Config is { Length: > 0 } configured ? configured : System.IO.Path.Combine(paths.Root, "bot.yaml");
        if (!File.Exists(Path))
        {
            Problem = $"no configuration file {Path} (see docs/bot.md)";
            return;
        }

        var config = BotConfig.Parse(Path, File.ReadAllText(Path), [.. plugins.Select(p => p.Name)]);
        foreach (var (name, forge) in config.Forges)
        {
            var which = Enum.Parse<Forge>(name, ignoreCase: true);
            tokens[which] = Secret(forge.Token, $"{Path}: forges.{name}.token");
            if (forge.WebhookSecret is { Length: > 0 })
            {
                secrets[which] = Secret(forge.WebhookSecret, $"{Path}: forges.{name}.webhook_secret");
            }
        }

        Config = config;
    }

    /// <summary>The configuration file.</summary>
    public string Path { get; }

    /// <summary>The configuration; null when there is none.</summary>
    public BotConfig? Config { get; }

    /// <summary>Why <see cref="Config"/> is null.</summary>
    public string? Problem { get; }

    /// <summary>The webhook secret of <paramref name="forge"/>; null when it has none.</summary>
    public string? WebhookSecret(Forge forge) => secrets.GetValueOrDefault(forge);

    /// <summary>The API token of <paramref name="forge"/>; null when it is not configured.</summary>
    public string? Token(Forge forge) => tokens.GetValueOrDefault(forge);

    /// <summary>A secret setting read with <see cref="SecretValue"/>; a <see cref="BotConfigException"/> naming <paramref name="setting"/> when it cannot be read.</summary>
    public static string Secret(string? value, string setting)
    {
        var (secret, problem) = SecretValue.Resolve(value, setting);
        return secret ?? throw new BotConfigException(problem!);
    }
}

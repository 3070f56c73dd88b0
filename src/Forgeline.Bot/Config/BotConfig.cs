using Forgeline.Bot.Forges;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Forgeline.Bot.Config;

/// <summary>
/// The bot's YAML configuration (<c>bot.yaml</c>): forge credentials, and per organisation or repository the plugins,
/// merge rules and CI jobs. See docs/bot.md for every setting. Secrets may be written as <c>env:NAME</c> or <c>file:/path</c>.
/// </summary>
public sealed class BotConfig
{
    /// <summary>The bot's own login on the forges; its own comments are never read as commands.</summary>
    public string BotLogin { get; set; } = "forgeline-bot";

    /// <summary>The community's name: the CLA labels are <c>&lt;community&gt;-cla/yes</c> and <c>/no</c>.</summary>
    public string Community { get; set; } = "forgeline";

    /// <summary>Members of this organisation may <c>/ok-to-test</c>; pull requests by its members are trusted.</summary>
    public string? TrustedOrg { get; set; }

    /// <summary>Where the bot links people to (build logs): Forgeline's public URL.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The CLA service.</summary>
    public ClaConfig? Cla { get; set; }

    /// <summary>Forges by name (github, gitee, gitlab).</summary>
    public Dictionary<string, ForgeConfig> Forges { get; set; } = [];

    /// <summary>Settings by <c>org</c>, <c>org/repo</c>, optionally prefixed <c>forge:</c>, and <c>default</c>.</summary>
    public Dictionary<string, RepoConfig> Repos { get; set; } = [];

    /// <summary>Reads and validates a configuration; throws <see cref="BotConfigException"/> naming the file and setting.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="yaml">Its text.</param>
    /// <param name="knownPlugins">The plugin names that exist; any other name fails.</param>
    public static BotConfig Parse(string path, string yaml, IReadOnlyCollection<string> knownPlugins)
    {
        BotConfig config;
        try
        {
            config = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<BotConfig?>(yaml) ?? new BotConfig();
        }
        catch (YamlException e)
        {
            throw new BotConfigException($"{path}: line {e.Start.Line}: {(e.InnerException ?? e).Message}", e);
        }

        config.Validate(path, knownPlugins);
        return config;
    }

    /// <summary>The effective settings of a repository: the first of forge:org/repo, org/repo, forge:org, org, default.</summary>
    public RepoSettings For(RepoRef repo)
    {
        var forge = repo.Forge.ToString().ToLowerInvariant();
        string[] keys = [$"{forge}:{repo.FullName}", repo.FullName, $"{forge}:{repo.Organisation}", repo.Organisation, "default"];
        var config = keys.Select(k => Repos.GetValueOrDefault(k)).FirstOrDefault(c => c is not null) ?? new RepoConfig();
        return new RepoSettings(repo, this, config);
    }

    /// <summary>The forge's settings; null when the forge is not configured.</summary>
    public ForgeConfig? ForgeFor(Forge forge) => Forges.GetValueOrDefault(forge.ToString().ToLowerInvariant());

    private void Validate(string path, IReadOnlyCollection<string> knownPlugins)
    {
        foreach (var name in Forges.Keys)
        {
            if (!Enum.TryParse<Forge>(name, ignoreCase: true, out _) || name.Any(char.IsUpper))
            {
                throw new BotConfigException($"{path}: forges.{name}: unknown forge; use github, gitee or gitlab");
            }

            if (Forges[name].ApiUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new BotConfigException($"{path}: forges.{name}.api_url must be an http(s) URL");
            }
        }

        foreach (var (key, repo) in Repos)
        {
            foreach (var plugin in repo.Plugins ?? [])
            {
                if (!knownPlugins.Contains(plugin))
                {
                    throw new BotConfigException($"{path}: repos.{key}.plugins: unknown plugin '{plugin}'; known plugins: {string.Join(", ", knownPlugins.Order())}");
                }
            }

            if (repo.Merge?.Method is { } method && !Enum.TryParse<MergeMethod>(method, ignoreCase: true, out _))
            {
                throw new BotConfigException($"{path}: repos.{key}.merge.method: '{method}' is not merge, squash or rebase");
            }

            foreach (var job in repo.Jobs ?? [])
            {
                if (string.IsNullOrWhiteSpace(job.Name) || job.Name.Any(c => char.IsWhiteSpace(c)))
                {
                    throw new BotConfigException($"{path}: repos.{key}.jobs: every job needs a name without spaces");
                }

                if (job.Farm == (job.Url is not null))
                {
                    throw new BotConfigException($"{path}: repos.{key}.jobs.{job.Name}: set either 'farm: true' or 'url'");
                }

                if (job.Url is { } jobUrl && (!Uri.TryCreate(jobUrl, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
                {
                    throw new BotConfigException($"{path}: repos.{key}.jobs.{job.Name}.url must be an http(s) URL");
                }
            }
        }

        if (Cla is { CheckUrl: { } check } && !check.Contains("{email}", StringComparison.Ordinal))
        {
            throw new BotConfigException($"{path}: cla.check_url must contain {{email}}");
        }
    }
}

/// <summary>One forge's API and webhook credentials.</summary>
public sealed class ForgeConfig
{
    /// <summary>The REST API's base URL (https://api.github.com, https://gitee.com/api/v5, https://gitlab.com/api/v4).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The bot account's API token (<c>env:NAME</c>, <c>file:/path</c> or the value).</summary>
    public string? Token { get; set; }

    /// <summary>The webhook secret the forge signs deliveries with (<c>env:NAME</c>, <c>file:/path</c> or the value).</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>The CLA service: <c>check_url</c> answers <c>{"signed": true|false}</c> for an e-mail address.</summary>
public sealed class ClaConfig
{
    /// <summary>GET URL with <c>{email}</c> in it.</summary>
    public string? CheckUrl { get; set; }

    /// <summary>Where people sign; linked from the <c>cla/no</c> comment.</summary>
    public string? SignUrl { get; set; }
}

/// <summary>Settings of an organisation or repository.</summary>
public sealed class RepoConfig
{
    /// <summary>Enabled plugins.</summary>
    public List<string>? Plugins { get; set; }

    /// <summary>Merge rules.</summary>
    public MergeConfig? Merge { get; set; }

    /// <summary>CI jobs.</summary>
    public List<JobConfig>? Jobs { get; set; }
}

/// <summary>When and how the bot merges.</summary>
public sealed class MergeConfig
{
    /// <summary>merge, squash or rebase.</summary>
    public string? Method { get; set; }

    /// <summary>Labels a pull request needs (default lgtm, approved and the CLA yes label when the cla plugin is on).</summary>
    public List<string>? RequiredLabels { get; set; }

    /// <summary>Labels that stop merging (default do-not-merge/hold, do-not-merge/work-in-progress, needs-rebase, needs-issue and the CLA no label).</summary>
    public List<string>? BlockingLabels { get; set; }

    /// <summary>Status contexts that must be green on the head (default: the jobs marked required).</summary>
    public List<string>? RequiredContexts { get; set; }
}

/// <summary>A CI job.</summary>
public sealed class JobConfig
{
    /// <summary>Its name, for <c>/test NAME</c>; its status context is <c>forgeline/NAME</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Build the repository (a package: spec file at its root) on Forgeline's build farm.</summary>
    public bool Farm { get; set; }

    /// <summary>Or: POST to this URL to start it (e.g. a Jenkins job); it reports back over the API.</summary>
    public string? Url { get; set; }

    /// <summary>Run it on every new head; otherwise only with <c>/test NAME</c>.</summary>
    public bool AlwaysRun { get; set; } = true;

    /// <summary>Whether it must pass before merging.</summary>
    public bool Required { get; set; } = true;
}

/// <summary>The configuration is not valid; the message names the file and setting.</summary>
public sealed class BotConfigException(string message, Exception? inner = null) : Exception(message, inner);

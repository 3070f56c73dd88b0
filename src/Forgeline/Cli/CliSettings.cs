using System.CommandLine;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Client;

namespace Forgeline.Cli;

/// <summary>
/// Where the CLI finds its server and token: flags first, then <c>FORGELINE_URL</c>/<c>FORGELINE_TOKEN</c>, then the file
/// <c>forgeline login</c> wrote (<c>~/.config/forgeline/config.json</c>, mode 0600).
/// </summary>
public sealed record CliSettings(string? Server, string? Token)
{
    /// <summary>The config file path.</summary>
    public static string FilePath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "forgeline", "config.json");

    /// <summary>Resolves the settings from flags, environment and file.</summary>
    public static CliSettings Resolve(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var token = parse.GetValue(ForgelineCommandLine.TokenOption);
        if (parse.GetValue(ForgelineCommandLine.TokenFileOption) is { } file)
        {
            token = File.Exists(file) ? File.ReadAllText(file).Trim() : throw new CliException($"--token-file {file}: no such file");
            if (token.Length == 0)
            {
                throw new CliException($"--token-file {file} is empty");
            }
        }

        return Resolve(parse.GetValue(ForgelineCommandLine.ServerOption), token);
    }

    /// <summary>
    /// For long-running verbs (a worker, a playground host): a warning on stderr when the token was given with
    /// <c>--token</c>, which every user of the machine sees in <c>ps</c> for as long as the process runs.
    /// </summary>
    public static void WarnIfTokenOnCommandLine(ParseResult parse, string verb)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(ForgelineCommandLine.TokenOption) is { Length: > 0 })
        {
            Console.Error.WriteLine($"forgeline {verb}: warning: --token shows the token to every user of this machine (ps, /proc); use --token-file PATH or FORGELINE_TOKEN");
        }
    }

    /// <summary>The settings from the flags given (the token's file read), then the environment, then <c>forgeline login</c>'s file.</summary>
    public static CliSettings Resolve(string? serverFlag, string? tokenFlag)
    {
        var saved = Load();
        return new CliSettings(
            serverFlag ?? Environment.GetEnvironmentVariable("FORGELINE_URL") ?? saved?.Server,
            tokenFlag ?? Environment.GetEnvironmentVariable("FORGELINE_TOKEN") ?? saved?.Token);
    }

    /// <summary>A client for these settings; throws a user-facing error when no server is known.</summary>
    public ForgelineClient CreateClient()
    {
        if (Server is not { Length: > 0 } || !Uri.TryCreate(Server.TrimEnd('/') + "/", UriKind.Absolute, out var uri))
        {
            throw new CliException("no server: run 'forgeline login --server URL --token T' or set FORGELINE_URL");
        }

        return new ForgelineClient(uri, Token);
    }

    /// <summary>Writes the settings to the config file, readable only by the user.</summary>
    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        PrivateFile.WriteAllText(FilePath, JsonSerializer.Serialize(this, ForgelineJson.Options));
    }

    private static CliSettings? Load()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<CliSettings>(File.ReadAllText(FilePath), ForgelineJson.Options) : null;
        }
        catch (JsonException)
        {
            throw new CliException($"{FilePath} is not valid JSON; run 'forgeline login' again");
        }
    }
}

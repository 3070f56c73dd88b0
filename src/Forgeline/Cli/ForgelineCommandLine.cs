using System.CommandLine;
using Forgeline.Core.Client;

namespace Forgeline.Cli;

/// <summary>The verbs of the <c>forgeline</c> binary.</summary>
public static class ForgelineCommandLine
{
    /// <summary>--server, for every client verb.</summary>
    public static readonly Option<string?> ServerOption = new("--server") { Description = "Forgeline server URL (default: FORGELINE_URL, then 'forgeline login')", Recursive = true };

    /// <summary>--token, for every client verb.</summary>
    public static readonly Option<string?> TokenOption = new("--token") { Description = "API token (default: FORGELINE_TOKEN, then 'forgeline login')", Recursive = true };

    /// <summary>--token-file, for every client verb: the token read from a file, so it does not show in <c>ps</c>.</summary>
    public static readonly Option<string?> TokenFileOption = new("--token-file") { Description = "Read the API token from this file (not visible in ps, unlike --token)", Recursive = true };

    /// <summary>--json, for verbs that print results.</summary>
    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print JSON instead of a table", Recursive = true };

    /// <summary>The root command with every verb.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("Forgeline: build farm, repositories and signing for RPM-based distributions");
        root.Options.Add(ServerOption);
        root.Options.Add(TokenOption);
        root.Options.Add(TokenFileOption);
        root.Options.Add(JsonOption);
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(BuildCommand.Create());
        root.Subcommands.Add(BuildsCommand.Create());
        root.Subcommands.Add(WorkersCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        root.Subcommands.Add(ProjectCommand.Create());
        root.Subcommands.Add(TargetCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(GroupCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        root.Subcommands.Add(UserCommand.WhoAmI());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(SignCommand.Create());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(PlaygroundCommand.Create());
        root.Subcommands.Add(ImageCommand.Create());
        root.Subcommands.Add(MeetingCommand.Create());
        root.Subcommands.Add(PlaygroundHostCommand.Create());
        return root;
    }

    /// <summary>Runs a client verb with the resolved settings, turning expected errors into one line on stderr.</summary>
    public static async Task<int> RunClientAsync(ParseResult parse, Func<ForgelineClient, Task<int>> action)
    {
        try
        {
            using var client = CliSettings.Resolve(parse).CreateClient();
            return await action(client);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
            return 2;
        }
        catch (ForgelineApiException e)
        {
            await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
            return 1;
        }
        catch (Signing.Client.SigningFailedException e)
        {
            await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"forgeline: cannot reach the server: {e.Message}");
            return 1;
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"forgeline: {e.Message}");
            return 1;
        }
    }
}

using System.CommandLine;
using Forgeline.Core.Client;

namespace Forgeline.Cli;

/// <summary><c>forgeline login</c>: checks a server and token and saves them for later verbs.</summary>
public static class LoginCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("login", "Check the server and token and remember them in ~/.config/forgeline/config.json");
        command.SetAction((parse, cancellationToken) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var settings = CliSettings.Resolve(parse.GetValue(ForgelineCommandLine.ServerOption), parse.GetValue(ForgelineCommandLine.TokenOption));
            if (settings.Token is not { Length: > 0 })
            {
                throw new CliException("no token: pass --token (the admin token is in <data>/admin-token)");
            }

            var who = await client.WhoAmIAsync(cancellationToken);
            settings.Save();
            Console.WriteLine($"Logged in to {client.Server} as {who.Name} ({string.Join(", ", who.Scopes)}); saved to {CliSettings.FilePath}");
            return 0;
        }));
        return command;
    }
}

using System.CommandLine;
using Forgeline.Core.Tokens;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline token create|list|revoke</c> (admin).</summary>
public static class TokenCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("token", "Manage API tokens (needs an admin token)");
        var name = new Argument<string>("name") { Description = "Token name (shown as the owner of its builds)" };
        var scopes = new Option<string[]>("--scope") { Description = "Scope: admin, build, worker, sign or playground-host (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
        var owner = new Option<string?>("--owner") { Description = "Who its builds belong to in the queue, e.g. a project's group (default: the token's name)" };
        var create = new Command("create", "Create a token; its secret is printed once") { name, scopes, owner };
        create.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var created = await client.CreateTokenAsync(new CreateTokenRequest(parse.GetValue(name)!, parse.GetValue(scopes)!, parse.GetValue(owner)), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(created);
            }
            else
            {
                Console.WriteLine(created.Token);
            }

            return 0;
        }));
        var list = new Command("list", "List tokens (never their secrets)");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var tokens = await client.ListTokensAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(tokens);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Name", "Scopes", "Created", "Last used", "Revoked");
            foreach (var t in tokens)
            {
                table.AddRow(Markup.Escape(t.Name), string.Join(' ', t.Scopes), t.CreatedAt.ToString("u"), t.LastUsedAt?.ToString("u") ?? "", t.Revoked ? "yes" : "");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        var revokeName = new Argument<string>("name") { Description = "Token name" };
        var revoke = new Command("revoke", "Revoke a token") { revokeName };
        revoke.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.RevokeTokenAsync(parse.GetValue(revokeName)!, ct);
            Console.WriteLine($"Token {parse.GetValue(revokeName)} revoked.");
            return 0;
        }));
        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }
}

using System.CommandLine;
using Forgeline.Core.Accounts;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline user list|create|disable|enable</c> (admin) and <c>forgeline whoami</c>.</summary>
public static class UserCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("user", "Users (admin): they appear at their first sign-in; make one ahead with 'create'");
        var name = new Argument<string>("name") { Description = "User name" };
        var email = new Option<string?>("--email") { Description = "E-mail address" };
        var create = new Command("create", "Make a user ahead of their first sign-in (linked then by name), or a robot that only has tokens") { name, email };
        create.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var user = await client.CreateUserAsync(new CreateUserRequest(parse.GetValue(name)!, Email: parse.GetValue(email)), ct);
            Console.WriteLine($"User {user.Name} created.");
            return 0;
        }));
        var disable = new Command("disable", "Refuse the user's sessions and personal tokens from now on") { name };
        disable.SetAction((parse, ct) => SetDisabled(parse, name, true, ct));
        var enable = new Command("enable", "Let a disabled user in again") { name };
        enable.SetAction((parse, ct) => SetDisabled(parse, name, false, ct));
        var list = new Command("list", "List users with their groups");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var users = await client.ListUsersAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(users);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("User", "Name", "E-mail", "Groups", "Last sign-in", "");
            foreach (var u in users)
            {
                table.AddRow(Markup.Escape(u.Name), Markup.Escape(u.DisplayName ?? ""), Markup.Escape(u.Email ?? ""), Markup.Escape(string.Join(", ", u.Groups)),
                    u.LastSignInAt?.ToString("u") ?? "never", u.Disabled ? "[red]disabled[/]" : "");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        foreach (var sub in new[] { create, disable, enable, list })
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }

    /// <summary><c>forgeline whoami</c>: who the saved or given token is.</summary>
    public static Command WhoAmI()
    {
        var command = new Command("whoami", "Show who you are to the server: name, groups, scopes");
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var me = await client.MeAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(me);
                return 0;
            }

            Console.WriteLine($"{me.Name} ({me.Kind}) on {client.Server}");
            Console.WriteLine($"groups: {(me.Groups.Count == 0 ? "none" : string.Join(", ", me.Groups))}");
            Console.WriteLine($"scopes: {string.Join(", ", me.Scopes)}");
            return 0;
        }));
        return command;
    }

    private static Task<int> SetDisabled(ParseResult parse, Argument<string> name, bool disabled, CancellationToken ct) =>
        ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.SetUserDisabledAsync(parse.GetValue(name)!, disabled, ct);
            Console.WriteLine($"User {parse.GetValue(name)} {(disabled ? "disabled" : "enabled")}.");
            return 0;
        });
}

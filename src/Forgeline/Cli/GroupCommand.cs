using System.CommandLine;
using Forgeline.Core.Accounts;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline group create|delete|add|remove|list</c>: SIGs and teams (changes need an admin).</summary>
public static class GroupCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("group", "Groups (SIGs, teams): projects, keys and queue weights can name them");
        var name = new Argument<string>("group") { Description = "Group name" };
        var user = new Argument<string>("user") { Description = "User name" };
        var description = new Option<string?>("--description") { Description = "What the group is for" };

        var create = new Command("create", "Make a group (admin)") { name, description };
        create.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var group = await client.CreateGroupAsync(new CreateGroupRequest(parse.GetValue(name)!, parse.GetValue(description)), ct);
            Console.WriteLine($"Group {group.Name} created; add people with 'forgeline group add {group.Name} USER'.");
            return 0;
        }));
        var delete = new Command("delete", "Delete a group (admin)") { name };
        delete.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeleteGroupAsync(parse.GetValue(name)!, ct);
            Console.WriteLine($"Group {parse.GetValue(name)} deleted.");
            return 0;
        }));
        var add = new Command("add", "Add a user to a group (admin)") { name, user };
        add.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.AddGroupMemberAsync(parse.GetValue(name)!, parse.GetValue(user)!, ct);
            Console.WriteLine($"{parse.GetValue(user)} is in group {parse.GetValue(name)}.");
            return 0;
        }));
        var remove = new Command("remove", "Remove a user from a group (admin)") { name, user };
        remove.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var source = await client.RemoveGroupMemberAsync(parse.GetValue(name)!, parse.GetValue(user)!, ct);
            Console.WriteLine(source == "local"
                ? $"{parse.GetValue(user)} removed from group {parse.GetValue(name)}."
                : $"{parse.GetValue(user)} removed from group {parse.GetValue(name)}; the provider '{source}' grants it, so it comes back at their next sign-in unless the provider changes.");
            return 0;
        }));
        var list = new Command("list", "List groups and their members");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var groups = await client.ListGroupsAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(groups);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Group", "Description", "Members");
            foreach (var g in groups)
            {
                table.AddRow(Markup.Escape(g.Name), Markup.Escape(g.Description ?? ""),
                    Markup.Escape(string.Join(", ", g.Members.Select(m => m.Source == "local" ? m.User : $"{m.User} ({m.Source})"))));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        foreach (var sub in new[] { create, delete, add, remove, list })
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }
}

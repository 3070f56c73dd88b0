using System.CommandLine;
using System.Text.Json;
using Forgeline.Core.MessageCenter;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline events subscribe|list|unsubscribe|deliveries|tail</c>: the message center.</summary>
public static class EventsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("events", "Subscribe webhooks to Forgeline's CloudEvents, see their deliveries, follow events live");
        command.Subcommands.Add(Subscribe());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Unsubscribe());
        command.Subcommands.Add(Deliveries());
        command.Subcommands.Add(Tail());
        return command;
    }

    private static Command Subscribe()
    {
        var types = new Option<string[]>("--type") { Description = "Event type pattern, e.g. 'org.forgeline.build.*' (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
        var url = new Option<string>("--url") { Description = "The http(s) URL events are POSTed to", Required = true };
        var secret = new Option<string?>("--secret") { Description = "HMAC key of X-Forgeline-Signature-256 (default: generated and printed once)" };
        var subscribe = new Command("subscribe", "Subscribe a webhook; prints its id and secret (shown once)") { types, url, secret };
        subscribe.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var created = await client.CreateSubscriptionAsync(new CreateSubscriptionRequest(parse.GetValue(types)!, parse.GetValue(url)!, parse.GetValue(secret)), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(created);
                return 0;
            }

            Console.WriteLine($"Subscription {created.Subscription.Id}: {string.Join(' ', created.Subscription.Types)} -> {created.Subscription.Url}");
            Console.WriteLine($"Secret (shown once; verify X-Forgeline-Signature-256 with it): {created.Secret}");
            return 0;
        }));
        return subscribe;
    }

    private static Command List()
    {
        var list = new Command("list", "List your subscriptions (an admin's: everyone's)");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var subscriptions = await client.ListSubscriptionsAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(subscriptions);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Id", "Owner", "Types", "URL", "Created");
            foreach (var s in subscriptions)
            {
                table.AddRow(s.Id.ToString(), Markup.Escape(s.Owner), Markup.Escape(string.Join(' ', s.Types)), Markup.Escape(s.Url), s.CreatedAt.ToString("u"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return list;
    }

    private static Command Unsubscribe()
    {
        var id = new Argument<long>("id") { Description = "Subscription id ('forgeline events list')" };
        var unsubscribe = new Command("unsubscribe", "Delete a subscription and its deliveries") { id };
        unsubscribe.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeleteSubscriptionAsync(parse.GetValue(id), ct);
            Console.WriteLine($"Subscription {parse.GetValue(id)} deleted.");
            return 0;
        }));
        return unsubscribe;
    }

    private static Command Deliveries()
    {
        var id = new Argument<long>("id") { Description = "Subscription id" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 50 };
        var deliveries = new Command("deliveries", "A subscription's deliveries: state, attempts, last HTTP status or error") { id, limit };
        deliveries.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var rows = await client.ListDeliveriesAsync(parse.GetValue(id), parse.GetValue(limit), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(rows);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Id", "Event", "Subject", "State", "Attempts", "Last", "Next attempt");
            foreach (var d in rows)
            {
                var state = d.State switch { "delivered" => "[green]delivered[/]", "dead" => "[red]dead[/]", _ => "[yellow]pending[/]" };
                var last = d.LastError is { } error ? Markup.Escape(error) : d.LastStatus?.ToString() ?? "";
                table.AddRow(d.Id.ToString(), Markup.Escape(d.Type), Markup.Escape(d.Subject), state, d.Attempts.ToString(), last, d.NextAttemptAt?.ToString("u") ?? "");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return deliveries;
    }

    private static Command Tail()
    {
        var types = new Option<string[]>("--type") { Description = "Only types matching this pattern (repeatable; default: all you may see)", AllowMultipleArgumentsPerToken = true };
        var after = new Option<long?>("--after") { Description = "Start after this event id (default: from now)" };
        var tail = new Command("tail", "Print events as they happen, until interrupted (--json: one CloudEvent per line)") { types, after };
        tail.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var json = parse.GetValue(ForgelineCommandLine.JsonOption);
            try
            {
                await foreach (var (id, data) in client.StreamEventsAsync(parse.GetValue(types) ?? [], parse.GetValue(after), ct))
                {
                    if (json)
                    {
                        Console.WriteLine(data);
                        continue;
                    }

                    using var document = JsonDocument.Parse(data);
                    var e = document.RootElement;
                    var time = e.TryGetProperty("time", out var t) ? t.GetDateTimeOffset().ToLocalTime().ToString("HH:mm:ss") : "";
                    AnsiConsole.MarkupLine($"[grey]{id,6} {time}[/] [bold]{Markup.Escape(e.GetProperty("type").GetString() ?? "")}[/] " +
                        $"{Markup.Escape(e.TryGetProperty("subject", out var s) ? s.GetString() ?? "" : "")} [grey]{Markup.Escape(e.GetProperty("data").GetRawText())}[/]");
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            return 0;
        }));
        return tail;
    }
}

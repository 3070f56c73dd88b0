using Forgeline.Testing;
using System.Text;
using System.Text.Json.Nodes;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Webhooks;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>Builds deliveries for the webhook tests: headers, fixture bodies (edited where a case needs it) and their event names.</summary>
internal static class Deliveries
{
    /// <summary>A case-insensitive header lookup, as ASP.NET Core gives one.</summary>
    public static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var byName = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return name => byName.GetValueOrDefault(name);
    }

    /// <summary>A fixture with <paramref name="edit"/> applied to its JSON.</summary>
    public static byte[] Edited(string fixture, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(WebhookFixtures.Read(fixture))!.AsObject();
        edit(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Parses a fixture (or an edited body) as the event its forge sends it with; fails the test when it is ignored.</summary>
    public static BotEvent Parse(string fixture, byte[]? body = null)
    {
        var (forge, eventName) = EventOf(fixture);
        var parsed = ForgeWebhooks.For(forge).Parse(eventName, "delivery-1", body ?? WebhookFixtures.Read(fixture));
        parsed.ShouldNotBeNull($"{fixture} was ignored");
        return parsed;
    }

    /// <summary>
    /// The forge and event header a fixture is delivered with: GitHub's folder is the <c>X-GitHub-Event</c>; Gitee's and
    /// GitLab's file names start with the hook (<c>note_hook_</c>, <c>pr_</c>, <c>pull_request_</c>, <c>tag_</c> …).
    /// </summary>
    public static (Forge Forge, string EventName) EventOf(string fixture)
    {
        var parts = fixture.Split('/');
        var file = parts[^1];
        return parts[0] switch
        {
            "github-webhooks" => (Forge.GitHub, parts[1]),
            "gitee-webhooks" => (Forge.Gitee, file switch
            {
                _ when file.StartsWith("note_hook", StringComparison.Ordinal) => "Note Hook",
                _ when file.StartsWith("pr_", StringComparison.Ordinal) => "Merge Request Hook",
                _ when file.StartsWith("issue_hook", StringComparison.Ordinal) => "Issue Hook",
                _ when file.StartsWith("tag_", StringComparison.Ordinal) => "Tag Push Hook",
                _ when file.StartsWith("push", StringComparison.Ordinal) => "Push Hook",
                _ => throw new InvalidOperationException($"which Gitee hook sends {fixture}?"),
            }),
            "gitlab-webhooks" => (Forge.GitLab, file switch
            {
                _ when file.Contains("comment", StringComparison.Ordinal) => "Note Hook",
                _ when file.StartsWith("issue_", StringComparison.Ordinal) => "Issue Hook",
                _ when file.StartsWith("pull_request_", StringComparison.Ordinal) || file.StartsWith("merge_request_", StringComparison.Ordinal) => "Merge Request Hook",
                _ when file.StartsWith("pipeline", StringComparison.Ordinal) => "Pipeline Hook",
                _ when file.StartsWith("tag_", StringComparison.Ordinal) => "Tag Push Hook",
                _ when file.StartsWith("push", StringComparison.Ordinal) || file.StartsWith("branch_", StringComparison.Ordinal) => "Push Hook",
                _ => throw new InvalidOperationException($"which GitLab hook sends {fixture}?"),
            }),
            _ => throw new InvalidOperationException($"no forge for {fixture}"),
        };
    }
}

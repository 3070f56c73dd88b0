using System.Text;
using System.Text.Json.Nodes;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Webhooks;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>A body that is not what its event promises is a <see cref="WebhookFormatException"/> that says what is wrong, never a crash.</summary>
public sealed class MalformedPayloadTests
{
    public static TheoryData<Forge, string, string, string> Bodies => new()
    {
        // forge, event, body, what the message must name
        { Forge.GitHub, "issue_comment", "this is not json", "not valid JSON" },
        { Forge.GitHub, "issue_comment", "{\"action\": \"created\",", "not valid JSON" },
        { Forge.GitHub, "issue_comment", "", "not valid JSON" },
        { Forge.GitHub, "push", "[1, 2, 3]", "is an array, not a JSON object" },
        { Forge.GitHub, "push", "\"text\"", "is a string, not a JSON object" },
        { Forge.GitHub, "push", "{\"ref\": \"refs/heads/main\", \"after\": \"abc\", \"sender\": {\"login\": \"a\"}}", "'repository'" },
        { Forge.Gitee, "Note Hook", "{}", "Gitee 'Note Hook' payload has no 'action' (a string)" },
        { Forge.Gitee, "Push Hook", "null", "is null, not a JSON object" },
        { Forge.GitLab, "Push Hook", "{\"before\": \"0\", \"after\": \"1\", \"ref\": \"refs/heads/x\", \"user_username\": \"a\"}", "has no 'project' (an object)" },
        { Forge.GitLab, "Note Hook", "[{}]", "is an array" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Bodies_that_are_not_an_event_object(Forge forge, string eventName, string body, string named)
    {
        var error = Should.Throw<WebhookFormatException>(() => ForgeWebhooks.For(forge).Parse(eventName, "d", Encoding.UTF8.GetBytes(body)));
        error.Message.ShouldContain(named);
    }

    [Fact]
    public void Bytes_that_are_not_utf8()
    {
        var error = Should.Throw<WebhookFormatException>(() => ForgeWebhooks.For(Forge.GitHub).Parse("push", "d", [0x7B, 0xFF, 0xFE, 0x7D]));
        error.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void JSON_nested_deeper_than_the_parser_allows()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        Should.Throw<WebhookFormatException>(() => ForgeWebhooks.For(Forge.GitLab).Parse("Push Hook", "d", Encoding.UTF8.GetBytes(deep)));
    }

    public static TheoryData<string, Action<JsonObject>, string> Edits => new()
    {
        // A GitHub comment event without its comment, or whose comment has no text.
        { "github-webhooks/issue_comment/created.payload.json", root => root.Remove("comment"), "'comment' (an object)" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["comment"]!.AsObject().Remove("body"), "'comment.body' (a string)" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["comment"]!["body"] = null, "'comment.body' (a string)" },
        { "github-webhooks/issue_comment/created.payload.json", root => root.Remove("repository"), "'repository'" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["sender"]!.AsObject().Remove("login"), "'sender.login'" },

        // Numbers too big for an issue number, and wrong types.
        { "github-webhooks/issue_comment/created.payload.json", root => root["issue"]!["number"] = JsonNode.Parse("99999999999999999999999"), "'issue.number' = 99999999999999999999999, not a whole number of 32 bits" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["issue"]!["number"] = 1.5, "'issue.number' = 1.5" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["issue"]!["number"] = "1", "'issue.number' as a string, expected a number" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["comment"]!["body"] = 42, "'comment.body' as a number, expected a string" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["comment"]!["id"] = new JsonObject(), "'comment.id' as an object, expected an id" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["issue"]!["labels"] = "bug", "'issue.labels' as a string, expected an array" },
        { "github-webhooks/issue_comment/created.payload.json", root => root["issue"]!["labels"] = new JsonArray("bug"), "'issue.labels[0]' as a string, expected an object" },
        { "github-webhooks/pull_request/closed.payload.json", root => root["pull_request"]!["merged"] = "yes", "'pull_request.merged' as a string, expected true or false" },
        { "github-webhooks/status/payload.json", root => root["state"] = "exploded", "'state' not one of pending, success, failure, error" },

        // Gitee and GitLab.
        { "gitee-webhooks/note_hook_pr_comment.json", root => root["comment"]!.AsObject().Remove("body"), "Gitee 'Note Hook' payload has no 'comment.body'" },
        { "gitee-webhooks/pr_open.json", root => root["pull_request"]!["number"] = JsonNode.Parse("1e40"), "'pull_request.number' = 1e40" },
        { "gitee-webhooks/push.json", root => root.Remove("repository"), "'repository'" },
        { "gitlab-webhooks/merge_request_comment_create.json", root => root["object_attributes"]!.AsObject().Remove("note"), "GitLab 'Note Hook' payload has no 'object_attributes.note'" },
        { "gitlab-webhooks/merge_request_comment_create.json", root => root.Remove("merge_request"), "'merge_request'" },
        { "gitlab-webhooks/pull_request_create.json", root => root["object_attributes"]!["iid"] = -1.25, "'object_attributes.iid' = -1.25" },
        { "gitlab-webhooks/push.json", root => root["project"]!["path_with_namespace"] = "no-group", "'project.path_with_namespace' = 'no-group'" },
        { "gitlab-webhooks/issue_create.json", root => root["object_attributes"]!.AsObject().Remove("action"), "'object_attributes.action'" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void Payloads_missing_or_mistyping_what_the_event_needs(string fixture, Action<JsonObject> edit, string named)
    {
        var (forge, eventName) = Deliveries.EventOf(fixture);
        var body = Deliveries.Edited(fixture, edit);

        var error = Should.Throw<WebhookFormatException>(() => ForgeWebhooks.For(forge).Parse(eventName, "d", body));
        error.Message.ShouldContain(named);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Forgeline.Testing;

namespace Forgeline.BotDeliveries;

/// <summary>
/// Makes deliveries from the recorded GitHub payloads in tests/fixtures/github-webhooks: comments carrying a command
/// (<c>/lgtm</c>, <c>/hold</c>, <c>/label kind/bug</c>) from reviewers on a pull request of their own each, pull request
/// events (<c>opened</c>, then <c>synchronize</c>) and pushes. Bodies are re-serialised compact (as GitHub sends them) and
/// signed with the webhook secret; nothing is signed while the clock runs.
/// </summary>
internal sealed class BenchDeliveries(string secret)
{
    /// <summary>The fixtures' repository (owner/name).</summary>
    public const string Repository = "Codertocat/Hello-World";

    /// <summary>The pull requests' author (the fixtures'); never one of the reviewers, so <c>/lgtm</c> is allowed.</summary>
    public const string Author = "Codertocat";

    /// <summary>The base branch of the fixtures' pull requests, where OWNERS is read.</summary>
    public const string BaseBranch = "master";

    /// <summary>Reviewers (OWNERS reviewers and approvers, collaborators) who send the commands.</summary>
    public static readonly IReadOnlyList<string> Reviewers = [.. Enumerable.Range(0, 8).Select(i => $"reviewer-{i}")];

    private static readonly string[] Commands = ["/lgtm", "/hold", "/label kind/bug"];

    private readonly byte[] key = Encoding.UTF8.GetBytes(secret);
    private readonly JsonNode comment = Fixture("issue_comment/created.payload.json");
    private readonly JsonNode opened = Fixture("pull_request/opened.payload.json");
    private readonly JsonNode synchronize = Fixture("pull_request/synchronize.payload.json");
    private readonly JsonNode push = Fixture("push/payload.json");
    private long sequence;

    /// <summary>
    /// <paramref name="count"/> deliveries, in turn two comments with a command, one pull request event and one push (so
    /// half are commands). Command <c>k</c> targets pull request <c>firstCommandPull + k</c>; pull request events go
    /// round-robin over <paramref name="eventPulls"/> pull requests from <paramref name="firstEventPull"/>, each first
    /// <c>opened</c>, then <c>synchronize</c>.
    /// </summary>
    public List<Delivery> Mix(int count, int firstCommandPull, int firstEventPull, int eventPulls)
    {
        var deliveries = new List<Delivery>(count);
        var commands = 0;
        var events = 0;
        for (var i = 0; i < count; i++)
        {
            deliveries.Add((i % 4) switch
            {
                0 or 1 => Command(firstCommandPull + commands++),
                2 => PullRequest(firstEventPull + (events % eventPulls), first: events++ < eventPulls),
                _ => Push(),
            });
        }

        return deliveries;
    }

    /// <summary><paramref name="count"/> commands, on pull requests <paramref name="firstPull"/> onwards.</summary>
    public List<Delivery> CommandsOnly(int count, int firstPull) => [.. Enumerable.Range(firstPull, count).Select(Command)];

    /// <summary>A comment with a command on pull request <paramref name="pull"/>, by a reviewer.</summary>
    public Delivery Command(int pull)
    {
        var n = Interlocked.Increment(ref sequence);
        var body = comment.DeepClone();
        var issue = body["issue"]!;
        issue["number"] = pull;
        issue["id"] = 5_000_000 + pull;
        issue["user"]!["login"] = Author;
        // GitHub marks a comment on a pull request by a pull_request object in the issue.
        var url = $"https://api.github.com/repos/{Repository}/pulls/{pull}";
        issue["pull_request"] = new JsonObject
        {
            ["url"] = url,
            ["html_url"] = $"https://github.com/{Repository}/pull/{pull}",
            ["diff_url"] = $"https://github.com/{Repository}/pull/{pull}.diff",
            ["patch_url"] = $"https://github.com/{Repository}/pull/{pull}.patch",
        };
        var reviewer = Reviewers[(int)(n % Reviewers.Count)];
        var text = Commands[pull % Commands.Length];
        body["comment"]!["id"] = 90_000_000 + n;
        body["comment"]!["body"] = text;
        body["comment"]!["user"]!["login"] = reviewer;
        body["sender"]!["login"] = reviewer;
        return Signed("issue_comment", body, "command", $"/repos/{Repository}/issues/{pull}/labels");
    }

    /// <summary>A pull request event on <paramref name="pull"/>: <c>opened</c> the first time, else <c>synchronize</c> (a push to it).</summary>
    public Delivery PullRequest(int pull, bool first)
    {
        var body = (first ? opened : synchronize).DeepClone();
        body["number"] = pull;
        body["pull_request"]!["number"] = pull;
        body["pull_request"]!["id"] = 7_000_000 + pull;
        return Signed("pull_request", body, "pull_request", null);
    }

    /// <summary>A push to a branch (no plugin acts on pushes: stored, parsed, done).</summary>
    public Delivery Push() => Signed("push", push.DeepClone(), "push", null);

    private Delivery Signed(string eventName, JsonNode body, string kind, string? actionPath)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes));
        return new Delivery(Guid.NewGuid().ToString(), eventName, bytes, signature, kind, actionPath);
    }

    private static JsonNode Fixture(string relative) =>
        JsonNode.Parse(WebhookFixtures.Read($"github-webhooks/{relative}"))
        ?? throw new InvalidDataException($"fixture {relative} is empty");

    /// <summary>The mix of a set of deliveries, e.g. <c>10000 command, 5000 pull_request, 5000 push; 12.3 KiB average</c>.</summary>
    public static string Describe(IReadOnlyList<Delivery> deliveries) =>
        string.Join(", ", deliveries.GroupBy(d => d.Kind).Select(g => $"{g.Count()} {g.Key}"))
        + string.Create(CultureInfo.InvariantCulture, $"; bodies {deliveries.Average(d => d.Body.Length) / 1024:0.0} KiB on average");
}

namespace Forgeline.BotDeliveries;

/// <summary>One webhook delivery ready to send: its body signed, and for a command the forge call it must cause.</summary>
/// <param name="Id">The X-GitHub-Delivery id (unique).</param>
/// <param name="Event">The X-GitHub-Event name.</param>
/// <param name="Body">The body exactly as signed.</param>
/// <param name="Signature">The X-Hub-Signature-256 value.</param>
/// <param name="Kind">command, pull_request or push (for the printed mix).</param>
/// <param name="ActionPath">For a command: the path of the POST it causes on the forge (one per pull request); else null.</param>
internal sealed record Delivery(string Id, string Event, byte[] Body, string Signature, string Kind, string? ActionPath);

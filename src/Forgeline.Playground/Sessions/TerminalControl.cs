using System.Text.Json;

namespace Forgeline.Playground.Sessions;

/// <summary>
/// The text messages of a terminal's WebSocket (binary messages are the terminal's bytes). From the browser:
/// <c>{"type":"resize","cols":N,"rows":M}</c>. To the browser: <c>{"type":"status","message":…}</c>,
/// <c>{"type":"error","message":…}</c> and <c>{"type":"ended","reason":…}</c>, after which the socket closes.
/// </summary>
public static class TerminalControl
{
    /// <summary>A control message from the browser: a size, or what is wrong with the message.</summary>
    /// <param name="Columns">Columns wanted.</param>
    /// <param name="Rows">Rows wanted.</param>
    /// <param name="Problem">Why the message was refused; the size is then 0 × 0.</param>
    public sealed record Message(int Columns, int Rows, string? Problem);

    /// <summary>Reads a browser's text message.</summary>
    public static Message Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Refused("a control message is a JSON object with a \"type\"");
            }

            if (type.GetString() != "resize")
            {
                return Refused($"unknown control message type '{type.GetString()}'; the only one is \"resize\"");
            }

            if (!root.TryGetProperty("cols", out var cols) || !cols.TryGetInt32(out var columns)
                || !root.TryGetProperty("rows", out var rowsElement) || !rowsElement.TryGetInt32(out var rows))
            {
                return Refused("a resize has whole numbers \"cols\" and \"rows\"");
            }

            return columns is < 1 or > PlaygroundSession.MaxColumns || rows is < 1 or > PlaygroundSession.MaxRows
                ? Refused($"cannot resize to {columns}×{rows}: a terminal has 1–{PlaygroundSession.MaxColumns} columns and 1–{PlaygroundSession.MaxRows} rows")
                : new Message(columns, rows, null);
        }
        catch (JsonException)
        {
            return Refused("a control message is JSON");
        }
    }

    /// <summary>A status line for the browser.</summary>
    public static string Status(string message) => JsonSerializer.Serialize(new { type = "status", message });

    /// <summary>An error for the browser (the session goes on).</summary>
    public static string Error(string message) => JsonSerializer.Serialize(new { type = "error", message });

    /// <summary>The session ended, and why.</summary>
    public static string Ended(string reason) => JsonSerializer.Serialize(new { type = "ended", reason });

    private static Message Refused(string problem) => new(0, 0, problem);
}

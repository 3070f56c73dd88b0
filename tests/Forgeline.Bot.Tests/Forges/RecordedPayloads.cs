using System.Text.Json;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>
/// Webhook payloads recorded from the real forges (tests/fixtures), and the check that
/// JSON the fake forge answers with has their shape.
/// </summary>
internal static class RecordedPayloads
{
    private static readonly string Root = WebhookFixtures.Directory;

    /// <summary>A recorded payload, e.g. <c>Read("gitee-webhooks", "pr_open.json")</c>.</summary>
    public static JsonElement Read(string folder, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, folder, file))).RootElement.Clone();

    /// <summary>Where <paramref name="fake"/> has a field <paramref name="real"/> lacks, or one of another JSON kind (null matches anything).</summary>
    public static List<string> ShapeMismatches(JsonElement fake, JsonElement real, string at = "$")
    {
        var mismatches = new List<string>();
        if (fake.ValueKind == JsonValueKind.Null || real.ValueKind == JsonValueKind.Null)
        {
            return mismatches;
        }

        if (Kind(fake) != Kind(real))
        {
            mismatches.Add($"{at}: fake {fake.ValueKind}, real {real.ValueKind}");
            return mismatches;
        }

        if (fake.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in fake.EnumerateObject())
            {
                if (real.TryGetProperty(property.Name, out var value))
                {
                    mismatches.AddRange(ShapeMismatches(property.Value, value, $"{at}.{property.Name}"));
                }
                else
                {
                    mismatches.Add($"{at}.{property.Name}: not in the recorded payload");
                }
            }
        }
        else if (fake.ValueKind == JsonValueKind.Array && fake.GetArrayLength() > 0 && real.GetArrayLength() > 0)
        {
            mismatches.AddRange(ShapeMismatches(fake[0], real[0], $"{at}[0]"));
        }

        return mismatches;
    }

    private static JsonValueKind Kind(JsonElement json) => json.ValueKind == JsonValueKind.False ? JsonValueKind.True : json.ValueKind;
}

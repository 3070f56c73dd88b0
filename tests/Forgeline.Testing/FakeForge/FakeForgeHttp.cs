using System.Text.Json;
using Forgeline.Bot.Forges;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing;

/// <summary>What every fake forge API's handlers share: the request's JSON body, error answers, paging.</summary>
internal static class FakeForgeHttp
{
    /// <summary>Where the fake's middleware keeps the request body's text.</summary>
    public const string BodyItem = "FakeForge.Body";

    /// <summary>Writes property names exactly as the handlers spell them (the forges' snake_case).</summary>
    public static readonly JsonSerializerOptions Json = new();

    /// <summary>The forge a path belongs to: /gitee and /gitlab prefixes, else GitHub.</summary>
    public static Forge ForgeOf(PathString path) =>
        path.StartsWithSegments("/gitee") ? Forge.Gitee
        : path.StartsWithSegments("/gitlab") ? Forge.GitLab
        : Forge.GitHub;

    /// <summary>The request body's text (empty when none).</summary>
    public static string BodyText(HttpContext context) => context.Items[BodyItem] as string ?? "";

    /// <summary>The request body as JSON; <see cref="JsonValueKind.Undefined"/> when empty or not JSON.</summary>
    public static JsonElement BodyJson(HttpContext context)
    {
        var text = BodyText(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>A string property of a JSON object, or null.</summary>
    public static string? String(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A string-array property of a JSON object, or null when absent or not a list of strings.</summary>
    public static IReadOnlyList<string>? Strings(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? StringList(value) : null;

    /// <summary>A JSON list of strings, or null.</summary>
    public static IReadOnlyList<string>? StringList(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : null;

    /// <summary>A JSON answer.</summary>
    public static IResult Answer(object body, int status = 200) => Results.Json(body, Json, statusCode: status);

    /// <summary>An error answer in the forges' common shape, <c>{"message": …}</c>.</summary>
    public static IResult Message(int status, string message) => Results.Json(new { message }, Json, statusCode: status);

    /// <summary>
    /// One page of <paramref name="items"/> as <c>per_page</c> (default <paramref name="defaultPerPage"/>, at most 100) and
    /// <c>page</c> (from 1) in the query ask.
    /// </summary>
    public static FakePage<T> Page<T>(HttpRequest request, IReadOnlyList<T> items, int defaultPerPage = 30)
    {
        var perPage = int.TryParse(request.Query["per_page"], out var p) && p > 0 ? Math.Min(p, 100) : defaultPerPage;
        var page = int.TryParse(request.Query["page"], out var n) && n > 0 ? n : 1;
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        return new FakePage<T>(items.Skip((page - 1) * perPage).Take(perPage).ToList(), page, perPage, last, items.Count);
    }

    /// <summary>The URL of another page of this request (same path and query, <c>page</c> replaced).</summary>
    public static string PageUrl(HttpRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key != "page").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}

using System.Text.Json;

namespace Forgeline.Bot.Plugins.Cla;

/// <summary>What the CLA service said about one e-mail address: signed or not, or why it could not say.</summary>
/// <param name="Signed">Whether the address signed; null when the service could not be asked or answered nonsense.</param>
/// <param name="Problem">Why there is no answer.</param>
internal readonly record struct ClaAnswer(bool? Signed, string? Problem);

/// <summary>
/// Asks the CLA service whether an e-mail address signed: <c>GET check_url</c> with <c>{email}</c> replaced by the
/// URL-escaped address; the service answers 200 with <c>{"signed": true|false}</c>. Anything else (another status, another
/// body, no answer within <see cref="Timeout"/>) is no answer, never a "yes" (docs/bot-jobs.md).
/// </summary>
internal sealed class ClaClient(HttpClient http, string checkUrl)
{
    /// <summary>How long one question may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Asks about <paramref name="email"/>.</summary>
    public async Task<ClaAnswer> IsSignedAsync(string email, CancellationToken cancellationToken)
    {
        var url = checkUrl.Replace("{email}", Uri.EscapeDataString(email), StringComparison.Ordinal);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            using var response = await http.GetAsync(url, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new(null, $"the CLA service answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var body = await response.Content.ReadAsStringAsync(limit.Token);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("signed", out var signed) && signed.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new(signed.GetBoolean(), null)
                : new(null, "the CLA service answered without a true or false \"signed\"");
        }
        catch (HttpRequestException e)
        {
            return new(null, $"could not reach the CLA service: {(e.InnerException ?? e).Message}");
        }
        catch (JsonException)
        {
            return new(null, "the CLA service answered something that is not JSON");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, $"the CLA service did not answer within {Timeout.TotalSeconds:0} s");
        }
    }
}

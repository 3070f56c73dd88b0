using System.Text.Json;

namespace Forgeline.Signing;

/// <summary>Checks that a container signing request is a containers/image simple-signing payload and nothing else.</summary>
public static class ContainerPayloadCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="payload"/> is an "atomic container signature".</summary>
    public static void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 64 * 1024)
        {
            throw new ArgumentException("a simple-signing payload is a small JSON document; this one is over 64 KiB");
        }

        using var doc = JsonDocument.Parse(payload.ToArray());
        var critical = doc.RootElement.GetProperty("critical");
        if (critical.GetProperty("type").GetString() != "atomic container signature")
        {
            throw new ArgumentException("the payload's critical.type must be 'atomic container signature'");
        }

        var digest = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString();
        if (digest is null || !digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            throw new ArgumentException("critical.image.docker-manifest-digest must be a sha256: digest");
        }

        if (critical.GetProperty("identity").GetProperty("docker-reference").GetString() is not { Length: > 0 })
        {
            throw new ArgumentException("critical.identity.docker-reference is required");
        }
    }
}

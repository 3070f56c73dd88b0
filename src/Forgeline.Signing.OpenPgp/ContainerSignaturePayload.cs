using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Forgeline.Signing.OpenPgp;

/// <summary>
/// The JSON payload of a containers/image "simple signing" signature (an "atomic container signature"), which
/// <see cref="OpenPgpPrivateKey.SignMessage"/> wraps into the signed message that skopeo and podman verify.
/// </summary>
public static partial class ContainerSignaturePayload
{
    /// <summary>The "type" value containers/image requires.</summary>
    public const string SignatureType = "atomic container signature";

    /// <summary>Creates the payload with the current time as its timestamp; see <see cref="Create(string, string, DateTimeOffset)"/>.</summary>
    public static byte[] Create(string dockerReference, string manifestDigest) =>
        Create(dockerReference, manifestDigest, DateTimeOffset.UtcNow);

    /// <summary>
    /// Creates <c>{"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},"type":"atomic container signature"},
    /// "optional":{"creator":"forgeline …","timestamp":…}}</c>, keys sorted as Go's encoder writes them.
    /// </summary>
    public static byte[] Create(string dockerReference, string manifestDigest, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(dockerReference);
        ArgumentNullException.ThrowIfNull(manifestDigest);
        if (dockerReference.Length is 0 or > 4096 || dockerReference.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new OpenPgpRequestException(
                $"\"{dockerReference}\" is not a docker reference; pass the image name as users pull it, such as registry.example.org/team/app:1.0");
        }

        if (!DigestPattern().IsMatch(manifestDigest))
        {
            throw new OpenPgpRequestException(
                $"\"{manifestDigest}\" is not a manifest digest; pass \"sha256:\" and 64 lower-case hex digits (see ManifestDigest)");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", dockerReference);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", manifestDigest);
            json.WriteEndObject();
            json.WriteString("type", SignatureType);
            json.WriteEndObject();
            json.WriteStartObject("optional");
            json.WriteString("creator", Creator);
            json.WriteNumber("timestamp", timestamp.ToUnixTimeSeconds());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The digest containers/image computes for a manifest: "sha256:" and the lower-case hex SHA-256 of its exact bytes.</summary>
    public static string ManifestDigest(byte[] manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
    }

    private static string Creator =>
        $"forgeline {typeof(ContainerSignaturePayload).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    [GeneratedRegex("^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}

using System.Security.Cryptography;

namespace Forgeline.Core;

/// <summary>sha256 digests as the lower-case hex strings Forgeline names content by.</summary>
public static class Sha256Hex
{
    /// <summary>Whether <paramref name="value"/> is 64 lower-case hex digits.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Digest of <paramref name="text"/>'s UTF-8 bytes (what is kept of a secret token instead of the token).</summary>
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Digest of a whole stream, read from its current position.</summary>
    public static async Task<string> OfStreamAsync(Stream stream, CancellationToken cancellationToken = default) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

    /// <summary>Digest of a file.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return await OfStreamAsync(file, cancellationToken);
    }
}

using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace Forgeline.Web.Features.Assets;

/// <summary>
/// The scripts, styles and vendored libraries built into this assembly (<c>EmbeddedResource</c> named <c>Assets/PATH</c>),
/// read once. A request can only name one of them: <see cref="Find"/> is a dictionary lookup, never a file system path.
/// </summary>
public static class EmbeddedAssets
{
    /// <summary>Where they are served.</summary>
    public const string UrlPrefix = "/assets/";

    private const string ResourcePrefix = "Assets/";

    private static readonly Lazy<FrozenDictionary<string, EmbeddedAsset>> All = new(Load);

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".woff2"] = "font/woff2",
        [".json"] = "application/json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The asset at <paramref name="path"/> (relative to <c>Assets/</c>), or null when the assembly has none.</summary>
    public static EmbeddedAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    /// <summary>The versioned URL of an asset; throws for one that does not exist, so a typo in a page fails at once.</summary>
    public static string Url(string path) =>
        Find(path)?.Url ?? throw new InvalidOperationException($"No embedded asset Assets/{path}: is the file under src/Forgeline.Web/Assets?");

    /// <summary>The paths of every asset.</summary>
    public static IEnumerable<string> Paths => All.Value.Keys;

    private static FrozenDictionary<string, EmbeddedAsset> Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var assets = new Dictionary<string, EmbeddedAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            var content = Read(assembly, name);
            var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "text/plain; charset=utf-8");
            assets[path] = new EmbeddedAsset(path, type, content, Gzip(type, content), version);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    // Text shrinks to a fifth (xterm.js: 480 KiB → ~120 KiB), which is most of a first visit's wait on a slow link.
    private static byte[]? Gzip(string contentType, byte[] content)
    {
        if (!contentType.StartsWith("text/", StringComparison.Ordinal) && !contentType.StartsWith("image/svg", StringComparison.Ordinal)
            && contentType != "application/json")
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.Length < content.Length ? buffer.ToArray() : null;
    }
}

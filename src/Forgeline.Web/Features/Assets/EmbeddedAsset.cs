namespace Forgeline.Web.Features.Assets;

/// <summary>One file under <c>src/Forgeline.Web/Assets</c>, as the assembly carries it.</summary>
/// <param name="Path">Its path under <c>Assets/</c>, e.g. <c>vendor/xterm/xterm.js</c>.</param>
/// <param name="ContentType">Its media type, from its extension.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="Gzipped">Its bytes gzipped, or null when that would not save anything.</param>
/// <param name="Version">The first 16 hex digits of its sha256: the <c>?v=</c> of its URL and its ETag.</param>
public sealed record EmbeddedAsset(string Path, string ContentType, byte[] Content, byte[]? Gzipped, string Version)
{
    /// <summary>Its URL, with <see cref="Version"/> so a browser may keep it for good.</summary>
    public string Url => $"{EmbeddedAssets.UrlPrefix}{Path}?v={Version}";
}

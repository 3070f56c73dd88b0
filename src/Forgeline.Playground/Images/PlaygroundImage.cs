namespace Forgeline.Playground.Images;

/// <summary>A built playground image on this host: what a session lays its own writable layer over.</summary>
/// <param name="Digest">The definition's digest (<see cref="PlaygroundImageRules.DigestOf"/>): its cache key.</param>
/// <param name="Layers">Absolute host directories, the top layer first, usable verbatim as overlayfs's <c>lowerdir=a:b</c>; read-only to sessions.</param>
public sealed record PlaygroundImage(string Digest, IReadOnlyList<string> Layers);

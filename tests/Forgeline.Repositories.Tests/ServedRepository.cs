using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// What a repository directory serves, read the way dnf reads it and checked on the way: repodata/repomd.xml parses,
/// every file it references exists with the checksum it states, and so does every package the primary metadata lists.
/// </summary>
public sealed class ServedRepository
{
    private static readonly XNamespace Repo = "http://linux.duke.edu/metadata/repo";
    private static readonly XNamespace Common = "http://linux.duke.edu/metadata/common";

    private ServedRepository(long generation, IReadOnlyList<string> metadataFiles, IReadOnlyList<string> packageLocations)
    {
        Generation = generation;
        MetadataFiles = metadataFiles;
        PackageLocations = packageLocations;
    }

    /// <summary>The generation the repodata link points at.</summary>
    public long Generation { get; }

    /// <summary>The hrefs repomd.xml references, e.g. <c>repodata/…-primary.xml.gz</c>.</summary>
    public IReadOnlyList<string> MetadataFiles { get; }

    /// <summary>The package hrefs of the primary metadata.</summary>
    public IReadOnlyList<string> PackageLocations { get; }

    /// <summary>The package file names served, sorted.</summary>
    public IReadOnlyList<string> FileNames => PackageLocations.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    /// <summary>Reads and checks the repository in <paramref name="root"/>; fails the test on any inconsistency.</summary>
    public static ServedRepository Check(string root)
    {
        var target = new FileInfo(Path.Combine(root, "repodata")).LinkTarget.ShouldNotBeNull("repodata must be the link to the served generation");
        var generation = long.Parse(target.Split('/')[1], CultureInfo.InvariantCulture);
        var repomd = XDocument.Load(Path.Combine(root, "repodata", "repomd.xml"));
        File.Exists(Path.Combine(root, "repodata", "repomd.xml.asc")).ShouldBeTrue("the served repomd.xml must be signed");
        var metadata = new List<string>();
        string? primary = null;
        foreach (var data in repomd.Root!.Elements(Repo + "data"))
        {
            var href = data.Element(Repo + "location")!.Attribute("href")!.Value;
            var checksum = data.Element(Repo + "checksum")!;
            checksum.Attribute("type")!.Value.ShouldBe("sha256");
            RepositoryPackagesFixture.Sha256Of(Path.Combine(root, href)).ShouldBe(checksum.Value, $"{href} must have the checksum repomd.xml states");
            metadata.Add(href);
            if (data.Attribute("type")!.Value == "primary")
            {
                primary = href;
            }
        }

        primary.ShouldNotBeNull("repomd.xml must reference primary metadata");
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(root, primary)), CompressionMode.Decompress);
        var packages = new List<string>();
        foreach (var package in XDocument.Load(gzip).Root!.Elements(Common + "package"))
        {
            var href = package.Element(Common + "location")!.Attribute("href")!.Value;
            var checksum = package.Element(Common + "checksum")!.Value;
            RepositoryPackagesFixture.Sha256Of(Path.Combine(root, href)).ShouldBe(checksum, $"{href} must have the checksum the primary metadata states");
            packages.Add(href);
        }

        return new ServedRepository(generation, metadata, packages);
    }
}

namespace Forgeline.Rpm;

/// <summary>An RPM v4 package file: lead, signature header and main header, with the location of the (unread) payload.</summary>
public sealed class RpmPackage
{
    private RpmPackage(RpmLead lead, RpmHeader signature, RpmHeader header, long headerOffset, long payloadOffset)
    {
        Lead = lead;
        Signature = signature;
        Header = header;
        HeaderOffset = headerOffset;
        PayloadOffset = payloadOffset;
        IsSource = lead.Type == RpmPackageType.Source || !header.Contains(RpmTag.SourceRpm);
        Name = RequireString(header, RpmTag.Name, "NAME");
        Version = RequireString(header, RpmTag.Version, "VERSION");
        Release = RequireString(header, RpmTag.Release, "RELEASE");
        Epoch = header.GetInt32(RpmTag.Epoch);
        Arch = header.GetString(RpmTag.Arch) ?? (IsSource ? "src" : throw new RpmFormatException(
            "corrupt RPM: the main header has no ARCH tag"));
    }

    /// <summary>The 96-byte lead.</summary>
    public RpmLead Lead { get; }

    /// <summary>The signature header (digests and signatures over the main header and payload).</summary>
    public RpmHeader Signature { get; }

    /// <summary>The main header; its <see cref="RpmHeader.RawBytes"/> are the exact bytes signatures cover.</summary>
    public RpmHeader Header { get; }

    /// <summary>Offset of the main header from the start of the package (after the signature header and its padding).</summary>
    public long HeaderOffset { get; }

    /// <summary>Offset of the compressed payload from the start of the package.</summary>
    public long PayloadOffset { get; }

    /// <summary>True for source packages: lead type 1, or no SOURCERPM tag in the main header.</summary>
    public bool IsSource { get; }

    /// <summary>Package name.</summary>
    public string Name { get; }

    /// <summary>Package version.</summary>
    public string Version { get; }

    /// <summary>Package release.</summary>
    public string Release { get; }

    /// <summary>Package epoch, or null when unset.</summary>
    public int? Epoch { get; }

    /// <summary>The ARCH tag of the main header (for source packages, the architecture it was built on).</summary>
    public string Arch { get; }

    /// <summary>name-[epoch:]version-release.arch, with arch "src" for source packages.</summary>
    public string Nevra =>
        $"{Name}-{(Epoch is int epoch ? $"{epoch}:" : string.Empty)}{Version}-{Release}.{(IsSource ? "src" : Arch)}";

    /// <summary>Parses lead, signature header and main header from <paramref name="stream"/>, stopping at the payload.</summary>
    public static RpmPackage Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var input = new PackageInput(stream);
        RpmLead lead = RpmLead.Parse(input.ReadUpTo(RpmLead.Size));
        RpmHeader signature = RpmHeader.Read(input, "signature header");
        int padding = SignaturePadding(signature.RawBytes.Length);
        byte[] pad = input.ReadUpTo(padding);
        if (pad.Length < padding)
        {
            throw new RpmFormatException(
                $"truncated RPM: the file ends at byte {input.Position}, in the padding after the signature header");
        }

        long headerOffset = input.Position;
        RpmHeader header = RpmHeader.Read(input, "main header");
        if (header.RegionTag != RpmTag.HeaderImmutable)
        {
            throw new RpmFormatException(
                "RPM v3 packages are not supported: the main header has no immutable region (tag 63), so it predates rpm 4");
        }

        return new RpmPackage(lead, signature, header, headerOffset, input.Position);
    }

    /// <summary>
    /// Writes <paramref name="package"/> with <paramref name="newSignature"/> in place of its signature header: lead,
    /// new signature header plus padding, the original main header bytes verbatim, then the payload streamed from
    /// <paramref name="source"/> (seeked to <see cref="PayloadOffset"/> when seekable, else read from its current position).
    /// </summary>
    public static void WriteWithSignature(Stream source, RpmPackage package, RpmHeader newSignature, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(newSignature);
        ArgumentNullException.ThrowIfNull(destination);

        byte[] signature = newSignature.ToBytes();
        destination.Write(package.Lead.ToBytes());
        destination.Write(signature);
        destination.Write(new byte[SignaturePadding(signature.Length)]);
        destination.Write(package.Header.RawBytes.Span);
        if (source.CanSeek)
        {
            source.Seek(package.PayloadOffset, SeekOrigin.Begin);
        }

        source.CopyTo(destination);
    }

    /// <summary>Zero bytes that follow a signature header of <paramref name="length"/> bytes so the main header starts 8-aligned.</summary>
    public static int SignaturePadding(int length) => (8 - (length % 8)) % 8;

    private static string RequireString(RpmHeader header, int tag, string name) =>
        header.GetString(tag) ?? throw new RpmFormatException($"corrupt RPM: the main header has no {name} tag");
}

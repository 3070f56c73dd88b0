using System.Buffers.Binary;
using System.Text;

namespace Forgeline.Rpm;

/// <summary>The fixed 96-byte lead at the start of every RPM package file.</summary>
public sealed class RpmLead
{
    /// <summary>Size of the lead in bytes.</summary>
    public const int Size = 96;

    /// <summary>The only signature type rpm still uses: a signature header follows the lead.</summary>
    public const short HeaderSignatureType = 5;

    private const int NameOffset = 10;
    private const int NameLength = 66;

    private static ReadOnlySpan<byte> Magic => [0xed, 0xab, 0xee, 0xdb];

    private readonly byte[]? _original;

    /// <summary>Creates a lead as current rpm writes it (format version 3.0, header-style signature).</summary>
    public RpmLead(RpmPackageType type, short archNumber, string name, short osNumber = 1)
        : this(3, 0, type, archNumber, name, osNumber, HeaderSignatureType, null)
    {
    }

    private RpmLead(byte major, byte minor, RpmPackageType type, short archNumber, string name, short osNumber, short signatureType, byte[]? original)
    {
        MajorVersion = major;
        MinorVersion = minor;
        Type = type;
        ArchNumber = archNumber;
        Name = name;
        OsNumber = osNumber;
        SignatureType = signatureType;
        _original = original;
    }

    /// <summary>Lead format major version; rpm 4 writes 3 here.</summary>
    public byte MajorVersion { get; }

    /// <summary>Lead format minor version.</summary>
    public byte MinorVersion { get; }

    /// <summary>Binary or source package.</summary>
    public RpmPackageType Type { get; }

    /// <summary>rpm's legacy numeric architecture code (1 for x86).</summary>
    public short ArchNumber { get; }

    /// <summary>The package name-version-release as written into the lead (at most 65 bytes).</summary>
    public string Name { get; }

    /// <summary>rpm's legacy numeric OS code (1 for Linux).</summary>
    public short OsNumber { get; }

    /// <summary>Signature type; always 5 (a signature header) in readable packages.</summary>
    public short SignatureType { get; }

    /// <summary>Reads and validates the lead from the current position of <paramref name="stream"/>.</summary>
    public static RpmLead Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Parse(new PackageInput(stream).ReadUpTo(Size));
    }

    /// <summary>Parses and validates a lead from the first 96 bytes of <paramref name="bytes"/>.</summary>
    public static RpmLead Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new RpmFormatException("not an RPM package: the file is empty");
        }

        ReadOnlySpan<byte> head = bytes[..Math.Min(bytes.Length, Magic.Length)];
        if (!Magic.StartsWith(head))
        {
            string what = FileSignatureSniffer.Describe(bytes) is { } kind ? $" (looks like {kind})" : string.Empty;
            throw new RpmFormatException(
                $"not an RPM package: lead magic is {Convert.ToHexStringLower(head)}, expected edabeedb{what}");
        }

        if (bytes.Length < Size)
        {
            throw new RpmFormatException(
                $"truncated RPM: the file ends after {bytes.Length} bytes, inside the {Size}-byte lead");
        }

        byte major = bytes[4];
        byte minor = bytes[5];
        if (major < 3)
        {
            throw new RpmFormatException(
                $"RPM v{major} packages are not supported (lead version {major}.{minor}); only v4 packages can be read");
        }

        if (major > 4)
        {
            throw new RpmFormatException(
                $"RPM lead version {major}.{minor} is not supported; only v4 packages (lead version 3.x or 4.x) can be read");
        }

        short signatureType = BinaryPrimitives.ReadInt16BigEndian(bytes[78..]);
        if (signatureType != HeaderSignatureType)
        {
            throw new RpmFormatException(
                $"RPM signature type {signatureType} is not supported; only header signatures (type {HeaderSignatureType}) are");
        }

        var type = (RpmPackageType)BinaryPrimitives.ReadInt16BigEndian(bytes[6..]);
        short arch = BinaryPrimitives.ReadInt16BigEndian(bytes[8..]);
        ReadOnlySpan<byte> nameField = bytes.Slice(NameOffset, NameLength);
        int nul = nameField.IndexOf((byte)0);
        string name = Encoding.UTF8.GetString(nul < 0 ? nameField : nameField[..nul]);
        short os = BinaryPrimitives.ReadInt16BigEndian(bytes[76..]);
        return new RpmLead(major, minor, type, arch, name, os, signatureType, bytes[..Size].ToArray());
    }

    /// <summary>The 96 lead bytes: verbatim for a parsed lead, freshly encoded for a constructed one.</summary>
    public byte[] ToBytes()
    {
        if (_original is not null)
        {
            return (byte[])_original.Clone();
        }

        byte[] bytes = new byte[Size];
        Magic.CopyTo(bytes);
        bytes[4] = MajorVersion;
        bytes[5] = MinorVersion;
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(6), (short)Type);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(8), ArchNumber);
        byte[] name = Encoding.UTF8.GetBytes(Name);
        name.AsSpan(0, Math.Min(name.Length, NameLength - 1)).CopyTo(bytes.AsSpan(NameOffset));
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(76), OsNumber);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(78), SignatureType);
        return bytes;
    }

    /// <summary>Writes the 96 lead bytes to <paramref name="destination"/>.</summary>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToBytes());
    }
}

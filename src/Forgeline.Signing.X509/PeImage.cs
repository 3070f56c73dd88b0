using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Signing.X509;

/// <summary>The parts of a PE/COFF image that Authenticode needs, read from its headers and checked against the file.</summary>
internal sealed class PeImage
{
    private const int CertificateTableIndex = 4;
    private const int SectionHeaderSize = 40;

    private PeImage(byte[] data, int checksumOffset, int certificateEntryOffset, int sizeOfHeaders, List<(int Offset, int Size)> sections)
    {
        Data = data;
        ChecksumOffset = checksumOffset;
        CertificateEntryOffset = certificateEntryOffset;
        SizeOfHeaders = sizeOfHeaders;
        Sections = sections;
    }

    /// <summary>The file.</summary>
    public byte[] Data { get; }

    /// <summary>Where the optional header's CheckSum field is.</summary>
    public int ChecksumOffset { get; }

    /// <summary>Where the certificate table's data directory entry (file offset, size) is.</summary>
    public int CertificateEntryOffset { get; }

    /// <summary>The optional header's SizeOfHeaders.</summary>
    public int SizeOfHeaders { get; }

    /// <summary>The sections' raw data, in file order, empty ones left out.</summary>
    public List<(int Offset, int Size)> Sections { get; }

    /// <summary>The file offset of the attribute certificate table (0 when unsigned).</summary>
    public int CertificateTableOffset => (int)BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(CertificateEntryOffset));

    /// <summary>The size of the attribute certificate table (0 when unsigned).</summary>
    public int CertificateTableSize => (int)BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(CertificateEntryOffset + 4));

    /// <summary>Parses and checks an EFI image; throws <see cref="X509SigningException"/> saying what is wrong.</summary>
    public static PeImage Parse(byte[] data)
    {
        if (data.Length < 64 || data[0] != 'M' || data[1] != 'Z')
        {
            throw new X509SigningException("the file is not a PE/COFF (EFI) binary: it does not start with the MZ header");
        }

        var pe = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(0x3C));
        if (pe < 64 || pe > data.Length - 24)
        {
            throw new X509SigningException($"the PE/COFF binary is truncated or damaged: its PE header offset {pe} is outside the {data.Length}-byte file");
        }

        if (!data.AsSpan(pe, 4).SequenceEqual("PE\0\0"u8))
        {
            throw new X509SigningException("the file has an MZ header but no PE signature; it is a DOS program or damaged, not an EFI binary");
        }

        var sectionCount = U16(data, pe + 6);
        var optionalSize = U16(data, pe + 20);
        var optional = pe + 24;
        Need(data, optional + optionalSize, "optional header");
        var magic = optionalSize >= 2 ? U16(data, optional) : 0;
        var directories = magic switch
        {
            0x10B => optional + 96,
            0x20B => optional + 112,
            _ => throw new X509SigningException($"the PE optional header has an unknown magic 0x{magic:X}; expected PE32 (0x10B) or PE32+ (0x20B)"),
        };
        var certificateEntry = directories + (CertificateTableIndex * 8);
        if (certificateEntry + 8 > optional + optionalSize
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(directories - 4)) <= CertificateTableIndex)
        {
            throw new X509SigningException("the PE optional header has no certificate table entry, so the binary cannot carry a signature");
        }

        CheckSubsystem(U16(data, optional + 68));
        var sizeOfHeaders = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(optional + 60));
        var sectionTable = optional + optionalSize;
        Need(data, sectionTable + (sectionCount * SectionHeaderSize), "section table");
        if (sizeOfHeaders < sectionTable + (sectionCount * SectionHeaderSize) || sizeOfHeaders > data.Length)
        {
            throw new X509SigningException(
                $"the PE/COFF binary is truncated or damaged: SizeOfHeaders {sizeOfHeaders} does not fit between its section table and the end of the {data.Length}-byte file");
        }

        var sections = new List<(int Offset, int Size)>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = data.AsSpan(sectionTable + (i * SectionHeaderSize), SectionHeaderSize);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            if (size == 0)
            {
                continue;
            }

            if ((long)offset + size > data.Length)
            {
                var name = Encoding.ASCII.GetString(header[..8]).TrimEnd('\0');
                throw new X509SigningException(
                    $"the PE/COFF binary is truncated: section {name} ends at byte {(long)offset + size} but the file has only {data.Length} bytes");
            }

            sections.Add(((int)offset, (int)size));
        }

        sections.Sort();
        var image = new PeImage(data, optional + 64, certificateEntry, sizeOfHeaders, sections);
        image.CheckCertificateTable();
        return image;
    }

    /// <summary>
    /// The Authenticode digest: the headers without the CheckSum field and the certificate table entry, each section's raw
    /// data in file order, then whatever follows the last section up to the attribute certificate table.
    /// </summary>
    public byte[] ComputeDigest(HashAlgorithmName hash)
    {
        using var digest = IncrementalHash.CreateHash(hash);
        var span = Data.AsSpan();
        digest.AppendData(span[..ChecksumOffset]);
        digest.AppendData(span[(ChecksumOffset + 4)..CertificateEntryOffset]);
        digest.AppendData(span[(CertificateEntryOffset + 8)..SizeOfHeaders]);
        long hashed = SizeOfHeaders;
        foreach (var (offset, size) in Sections)
        {
            digest.AppendData(span.Slice(offset, size));
            hashed += size;
        }

        var end = CertificateTableSize == 0 ? Data.Length : CertificateTableOffset;
        if (end > hashed)
        {
            digest.AppendData(span[(int)hashed..end]);
        }

        return digest.GetHashAndReset();
    }

    /// <summary>The PE checksum of <paramref name="file"/> (16-bit one's-complement sum, CheckSum field as zero, plus the length).</summary>
    public static uint Checksum(ReadOnlySpan<byte> file, int checksumOffset)
    {
        ulong sum = 0;
        for (var i = 0; i + 1 < file.Length; i += 2)
        {
            if (i != checksumOffset && i != checksumOffset + 2)
            {
                sum += BinaryPrimitives.ReadUInt16LittleEndian(file[i..]);
                sum = (sum & 0xFFFF) + (sum >> 16);
            }
        }

        if (file.Length % 2 == 1)
        {
            sum += file[^1];
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)(sum + (ulong)file.Length);
    }

    private void CheckCertificateTable()
    {
        var offset = (long)CertificateTableOffset;
        var size = (long)CertificateTableSize;
        if (size == 0)
        {
            return;
        }

        var lastSectionEnd = Sections.Count == 0 ? SizeOfHeaders : Sections.Max(s => s.Offset + s.Size);
        if (offset < lastSectionEnd || offset + size != Data.Length)
        {
            throw new X509SigningException(
                $"the PE/COFF binary's certificate table (offset {offset}, {size} bytes) is not at the end of the {Data.Length}-byte file after its sections; the binary is truncated or damaged");
        }
    }

    private static void CheckSubsystem(int subsystem)
    {
        if (subsystem is >= 10 and <= 13)
        {
            return;
        }

        var name = subsystem switch
        {
            0 => "unknown",
            1 => "native",
            2 => "Windows GUI",
            3 => "Windows console",
            5 => "OS/2 console",
            7 => "POSIX console",
            9 => "Windows CE GUI",
            14 => "Xbox",
            16 => "Windows boot application",
            _ => "not defined",
        };
        throw new X509SigningException(
            $"not an EFI binary: subsystem {subsystem} ({name}); only EFI applications, boot or runtime drivers and EFI ROMs (subsystems 10-13) are signed here");
    }

    private static int U16(byte[] data, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset));

    private static void Need(byte[] data, long end, string what)
    {
        if (end > data.Length)
        {
            throw new X509SigningException($"the PE/COFF binary is truncated: its {what} ends at byte {end} but the file has only {data.Length} bytes");
        }
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Forgeline.Signing.X509;

/// <summary>Checks that bytes are a whole, uncompressed Linux kernel module: an ELF relocatable object with a module section.</summary>
internal static class ElfModule
{
    private const int ElfRelocatable = 1;
    private const uint SectionStrings = 3;
    private const uint SectionNoBits = 8;

    /// <summary>Throws <see cref="X509SigningException"/> unless <paramref name="module"/> is an unsigned kernel module, complete and with nothing after it.</summary>
    public static void Validate(ReadOnlySpan<byte> module)
    {
        // Compressed modules (.ko.xz, .ko.zst, .ko.gz) are signed before compression, as kbuild does, and the kernel checks
        // the signature of the decompressed module, so they must be decompressed first rather than signed as they are.
        if (module.StartsWith((byte[])[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            throw Compressed("xz", "xz -d");
        }

        if (module.StartsWith((byte[])[0x28, 0xB5, 0x2F, 0xFD]))
        {
            throw Compressed("zstd", "zstd -d");
        }

        if (module.StartsWith((byte[])[0x1F, 0x8B]))
        {
            throw Compressed("gzip", "gzip -d");
        }

        if (module.Length < 16 || !module.StartsWith("\u007fELF"u8))
        {
            throw new X509SigningException("the file is not an ELF object (no \\x7fELF magic); a kernel module is an ELF relocatable object (.ko)");
        }

        var is64 = module[4] switch
        {
            1 => false,
            2 => true,
            _ => throw new X509SigningException($"the ELF file has an unknown class {module[4]}; it is damaged"),
        };
        var bigEndian = module[5] switch
        {
            1 => false,
            2 => true,
            _ => throw new X509SigningException($"the ELF file has an unknown byte order {module[5]}; it is damaged"),
        };
        var reader = new ElfReader(module, bigEndian);
        var headerSize = is64 ? 64 : 52;
        if (module.Length < headerSize)
        {
            throw new X509SigningException($"the ELF file is truncated: {module.Length} bytes, shorter than its {headerSize}-byte header");
        }

        var type = reader.U16(16);
        if (type != ElfRelocatable)
        {
            var name = type switch { 2 => "an executable", 3 => "a shared object or position-independent executable", 4 => "a core dump", _ => "an unknown kind of file" };
            throw new X509SigningException(
                $"the ELF file is {name} (e_type {type}), not a relocatable object; kernel modules are ELF relocatable objects (.ko)");
        }

        CheckSections(module, reader, is64);
    }

    private static void CheckSections(ReadOnlySpan<byte> module, ElfReader reader, bool is64)
    {
        var sectionTable = is64 ? reader.U64(0x28) : reader.U32(0x20);
        var entrySize = reader.U16(is64 ? 0x3A : 0x2E);
        var count = reader.U16(is64 ? 0x3C : 0x30);
        var namesIndex = reader.U16(is64 ? 0x3E : 0x32);
        if (count == 0 || entrySize < (is64 ? 64 : 40))
        {
            throw new X509SigningException("the ELF file has no section headers; it is not a kernel module");
        }

        var end = sectionTable + ((ulong)count * entrySize);
        CheckWithin(end, module.Length, "section header table");
        var sections = new (uint Name, uint Type, ulong Offset, ulong Size)[count];
        for (var i = 0; i < count; i++)
        {
            var at = (int)sectionTable + (i * entrySize);
            sections[i] = (reader.U32(at), reader.U32(at + 4),
                is64 ? reader.U64(at + 0x18) : reader.U32(at + 0x10), is64 ? reader.U64(at + 0x20) : reader.U32(at + 0x14));
            if (sections[i].Type is not 0 and not SectionNoBits)
            {
                end = Math.Max(end, sections[i].Offset + sections[i].Size);
                CheckWithin(sections[i].Offset + sections[i].Size, module.Length, $"section {i}");
            }
        }

        if (end < (ulong)module.Length)
        {
            throw new X509SigningException(
                $"the module has {(ulong)module.Length - end} bytes after the end of its ELF image that are not a module signature (a truncated or damaged signature?); strip them or use the original module");
        }

        if (namesIndex >= count || sections[namesIndex].Type != SectionStrings || !HasSection(module, sections, sections[namesIndex], ".gnu.linkonce.this_module"))
        {
            throw new X509SigningException(
                "the ELF relocatable object has no .gnu.linkonce.this_module section, so it is an object file but not a kernel module (.ko)");
        }
    }

    private static bool HasSection(ReadOnlySpan<byte> module, (uint Name, uint Type, ulong Offset, ulong Size)[] sections, (uint Name, uint Type, ulong Offset, ulong Size) names, string wanted)
    {
        var table = module.Slice((int)names.Offset, (int)names.Size);
        var target = Encoding.ASCII.GetBytes(wanted + "\0");
        foreach (var section in sections)
        {
            if (section.Name < table.Length && table[(int)section.Name..].StartsWith(target))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckWithin(ulong end, int length, string what)
    {
        if (end > (ulong)length)
        {
            throw new X509SigningException($"the module is truncated: its {what} ends at byte {end} but the file has only {length} bytes");
        }
    }

    private static X509SigningException Compressed(string format, string command) => new(
        $"the module is {format}-compressed; decompress it first ({command}), sign the .ko, then compress it again");

    private readonly ref struct ElfReader(ReadOnlySpan<byte> data, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public ushort U16(int at) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_data[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(_data[at..]);

        public uint U32(int at) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_data[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(_data[at..]);

        public ulong U64(int at) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(_data[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(_data[at..]);
    }
}

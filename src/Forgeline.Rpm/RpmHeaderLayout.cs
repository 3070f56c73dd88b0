using System.Buffers.Binary;

namespace Forgeline.Rpm;

/// <summary>Serialises decoded header entries into the exact byte layout rpm itself produces.</summary>
internal static class RpmHeaderLayout
{
    private static ReadOnlySpan<byte> Magic => [0x8e, 0xad, 0xe8, 0x01];

    /// <summary>Lays out a header the way rpm does: region entry first, data in entry order with type alignment, region trailer last.</summary>
    public static byte[] Encode(int? regionTag, IReadOnlyList<RpmHeaderEntry> entries)
    {
        int il = entries.Count + (regionTag is null ? 0 : 1);
        var offsets = new long[entries.Count];
        long dl = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            int align = RpmHeaderEntry.AlignmentOf(entries[i].Type);
            dl = (dl + align - 1) / align * align;
            offsets[i] = dl;
            dl += entries[i].Data.Length;
        }

        long trailerOffset = dl;
        if (regionTag is not null)
        {
            dl += RpmHeaderCodec.IndexEntrySize;
        }

        if (il > RpmHeader.MaxIndexEntries || dl > RpmHeader.MaxDataSize)
        {
            throw new InvalidOperationException(
                $"header too large to encode: {il} entries and {dl} data bytes (limits {RpmHeader.MaxIndexEntries} and {RpmHeader.MaxDataSize})");
        }

        byte[] raw = new byte[RpmHeaderCodec.PreambleSize + (il * RpmHeaderCodec.IndexEntrySize) + dl];
        Span<byte> span = raw;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], il);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], (int)dl);
        Span<byte> index = span.Slice(RpmHeaderCodec.PreambleSize, il * RpmHeaderCodec.IndexEntrySize);
        Span<byte> data = span[(RpmHeaderCodec.PreambleSize + (il * RpmHeaderCodec.IndexEntrySize))..];
        int slot = 0;
        if (regionTag is int region)
        {
            WriteIndexEntry(index, slot++, region, RpmTagType.Binary, (int)trailerOffset, RpmHeaderCodec.IndexEntrySize);
            WriteIndexEntry(data[(int)trailerOffset..], 0, region, RpmTagType.Binary, -(il * RpmHeaderCodec.IndexEntrySize), RpmHeaderCodec.IndexEntrySize);
        }

        for (int i = 0; i < entries.Count; i++)
        {
            RpmHeaderEntry entry = entries[i];
            WriteIndexEntry(index, slot++, entry.Tag, entry.Type, (int)offsets[i], entry.Count);
            entry.Data.CopyTo(data[(int)offsets[i]..]);
        }

        return raw;
    }

    private static void WriteIndexEntry(Span<byte> index, int slot, int tag, RpmTagType type, int offset, int count)
    {
        Span<byte> e = index.Slice(slot * RpmHeaderCodec.IndexEntrySize, RpmHeaderCodec.IndexEntrySize);
        BinaryPrimitives.WriteInt32BigEndian(e, tag);
        BinaryPrimitives.WriteInt32BigEndian(e[4..], (int)type);
        BinaryPrimitives.WriteInt32BigEndian(e[8..], offset);
        BinaryPrimitives.WriteInt32BigEndian(e[12..], count);
    }
}

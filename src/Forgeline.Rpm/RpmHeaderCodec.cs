using System.Buffers.Binary;

namespace Forgeline.Rpm;

/// <summary>Converts between the on-disk header structure and decoded entries, checking every count and offset.</summary>
internal static class RpmHeaderCodec
{
    /// <summary>Size of the preamble: magic, 4 reserved bytes, index entry count, data store size.</summary>
    public const int PreambleSize = 16;

    /// <summary>Size of one index entry: tag, type, offset, count.</summary>
    public const int IndexEntrySize = 16;

    private static ReadOnlySpan<byte> Magic => [0x8e, 0xad, 0xe8, 0x01];

    /// <summary>Reads the raw bytes of one header from <paramref name="input"/>, naming it <paramref name="what"/> in errors.</summary>
    public static byte[] ReadRaw(PackageInput input, string what)
    {
        long start = input.Position;
        byte[] preamble = input.ReadUpTo(PreambleSize);
        if (preamble.Length < PreambleSize)
        {
            throw new RpmFormatException(
                $"truncated RPM: the file ends at byte {start + preamble.Length}, {preamble.Length} bytes into the " +
                $"{PreambleSize}-byte preamble of the {what}");
        }

        (int il, int dl) = CheckPreamble(preamble, what, start);
        byte[] index = input.ReadUpTo(il * IndexEntrySize);
        if (index.Length < il * IndexEntrySize)
        {
            throw new RpmFormatException(
                $"truncated RPM: the {what} index claims {il} entries but the file ends after {index.Length / IndexEntrySize} " +
                $"(at byte {input.Position})");
        }

        byte[] data = input.ReadUpTo(dl);
        if (data.Length < dl)
        {
            throw new RpmFormatException(
                $"truncated RPM: the {what} data store claims {dl} bytes but the file ends after {data.Length} " +
                $"(at byte {input.Position})");
        }

        byte[] raw = new byte[PreambleSize + index.Length + data.Length];
        preamble.CopyTo(raw, 0);
        index.CopyTo(raw, PreambleSize);
        data.CopyTo(raw, PreambleSize + index.Length);
        return raw;
    }

    /// <summary>Validates magic and sizes of a 16-byte preamble and returns (index entry count, data size).</summary>
    public static (int IndexCount, int DataSize) CheckPreamble(ReadOnlySpan<byte> preamble, string what, long at)
    {
        if (!preamble.StartsWith(Magic))
        {
            string hint = preamble.StartsWith(Magic[..3]) ? $" (header structure version {preamble[3]} is not supported)" : string.Empty;
            throw new RpmFormatException(
                $"corrupt RPM: the {what} at byte {at} starts with {Convert.ToHexStringLower(preamble[..4])}, " +
                $"expected header magic 8eade801{hint}");
        }

        int il = BinaryPrimitives.ReadInt32BigEndian(preamble[8..]);
        int dl = BinaryPrimitives.ReadInt32BigEndian(preamble[12..]);
        if (il < 0 || il > RpmHeader.MaxIndexEntries)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} claims {(uint)il} index entries; at most {RpmHeader.MaxIndexEntries} are allowed");
        }

        if (dl < 0 || dl > RpmHeader.MaxDataSize)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} claims a {(uint)dl}-byte data store; at most {RpmHeader.MaxDataSize} bytes are allowed");
        }

        return (il, dl);
    }

    /// <summary>Decodes a complete header (preamble, index, data) into its region tag and entries.</summary>
    public static (int? RegionTag, List<RpmHeaderEntry> Entries) Decode(ReadOnlySpan<byte> raw, string what)
    {
        if (raw.Length < PreambleSize)
        {
            throw new RpmFormatException($"truncated RPM: the {what} is {raw.Length} bytes, shorter than its {PreambleSize}-byte preamble");
        }

        (int il, int dl) = CheckPreamble(raw, what, 0);
        long expected = PreambleSize + ((long)il * IndexEntrySize) + dl;
        if (raw.Length != expected)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} is {raw.Length} bytes but its preamble describes {expected} ({il} index entries, {dl} data bytes)");
        }

        ReadOnlySpan<byte> index = raw.Slice(PreambleSize, il * IndexEntrySize);
        ReadOnlySpan<byte> data = raw[(PreambleSize + (il * IndexEntrySize))..];
        int? regionTag = null;
        int first = 0;
        if (il > 0 && IsRegionTag(BinaryPrimitives.ReadInt32BigEndian(index)))
        {
            regionTag = CheckRegion(index, data, il, what);
            first = 1;
        }

        var entries = new List<RpmHeaderEntry>(il - first);
        int end = 0;
        for (int i = first; i < il; i++)
        {
            ReadOnlySpan<byte> e = index.Slice(i * IndexEntrySize, IndexEntrySize);
            int tag = BinaryPrimitives.ReadInt32BigEndian(e);
            int rawType = BinaryPrimitives.ReadInt32BigEndian(e[4..]);
            int offset = BinaryPrimitives.ReadInt32BigEndian(e[8..]);
            int count = BinaryPrimitives.ReadInt32BigEndian(e[12..]);
            string where = $"{what} entry {i} (tag {tag})";
            if (tag < RpmTag.HeaderI18nTable)
            {
                throw new RpmFormatException($"corrupt RPM: {where} has an invalid tag number; tags below 100 are reserved");
            }

            if (rawType is < (int)RpmTagType.Null or > (int)RpmTagType.I18nString)
            {
                throw new RpmFormatException($"corrupt RPM: {where} has unknown data type {rawType}");
            }

            if (offset < 0 || offset > dl)
            {
                throw new RpmFormatException($"corrupt RPM: {where} has data offset {offset}, outside the {dl}-byte data store");
            }

            if (offset < end)
            {
                // rpm rejects this too; it also keeps hostile headers from reusing one huge string many times.
                throw new RpmFormatException(
                    $"corrupt RPM: {where} has data offset {offset}, overlapping the previous entry's data (which ends at {end})");
            }

            if (count < 0)
            {
                throw new RpmFormatException($"corrupt RPM: {where} has a negative value count {count}");
            }

            var type = (RpmTagType)rawType;
            int length = DataLength(type, count, data[offset..], where);
            entries.Add(new RpmHeaderEntry(tag, type, count, data.Slice(offset, length).ToArray()));
            end = offset + length;
        }

        return (regionTag, entries);
    }

    /// <summary>True for the tags rpm uses to mark a header region (61, 62, 63).</summary>
    public static bool IsRegionTag(int tag) =>
        tag is RpmTag.HeaderImage or RpmTag.HeaderSignatures or RpmTag.HeaderImmutable;

    private static int CheckRegion(ReadOnlySpan<byte> index, ReadOnlySpan<byte> data, int il, string what)
    {
        int tag = BinaryPrimitives.ReadInt32BigEndian(index);
        int type = BinaryPrimitives.ReadInt32BigEndian(index[4..]);
        int offset = BinaryPrimitives.ReadInt32BigEndian(index[8..]);
        int count = BinaryPrimitives.ReadInt32BigEndian(index[12..]);
        if (type != (int)RpmTagType.Binary || count != IndexEntrySize)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} region tag {tag} has type {type} and count {count}, expected binary data of 16 bytes");
        }

        if (offset < 0 || (long)offset + IndexEntrySize > data.Length)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} region trailer offset {offset} is outside the {data.Length}-byte data store");
        }

        ReadOnlySpan<byte> trailer = data.Slice(offset, IndexEntrySize);
        int trailerTag = BinaryPrimitives.ReadInt32BigEndian(trailer);
        int trailerType = BinaryPrimitives.ReadInt32BigEndian(trailer[4..]);
        long regionSize = -(long)BinaryPrimitives.ReadInt32BigEndian(trailer[8..]);
        int trailerCount = BinaryPrimitives.ReadInt32BigEndian(trailer[12..]);
        bool tagMatches = trailerTag == tag || (tag == RpmTag.HeaderSignatures && trailerTag == RpmTag.HeaderImage);
        if (!tagMatches || trailerType != (int)RpmTagType.Binary || trailerCount != IndexEntrySize)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} region trailer is damaged (tag {trailerTag}, type {trailerType}, count {trailerCount}; " +
                $"expected tag {tag}, type 7, count 16)");
        }

        if (regionSize <= 0 || regionSize % IndexEntrySize != 0 || regionSize / IndexEntrySize > il)
        {
            throw new RpmFormatException(
                $"corrupt RPM: the {what} region trailer describes {regionSize} bytes of index, but the header has {il} entries");
        }

        return tag;
    }

    private static int DataLength(RpmTagType type, int count, ReadOnlySpan<byte> available, string where)
    {
        long length;
        switch (type)
        {
            case RpmTagType.Null:
                return 0;
            case RpmTagType.String:
                if (count != 1)
                {
                    throw new RpmFormatException($"corrupt RPM: {where} is a string with count {count}, expected 1");
                }

                return StringsLength(1, available, where);
            case RpmTagType.StringArray or RpmTagType.I18nString:
                return StringsLength(count, available, where);
            case RpmTagType.Int16:
                length = 2L * count;
                break;
            case RpmTagType.Int32:
                length = 4L * count;
                break;
            case RpmTagType.Int64:
                length = 8L * count;
                break;
            default:
                length = count;
                break;
        }

        if (length > available.Length)
        {
            throw new RpmFormatException(
                $"corrupt RPM: {where} claims {count} {type} values ({length} bytes) but only {available.Length} data bytes follow its offset");
        }

        return (int)length;
    }

    private static int StringsLength(int count, ReadOnlySpan<byte> available, string where)
    {
        if (count > available.Length)
        {
            throw new RpmFormatException(
                $"corrupt RPM: {where} claims {count} strings but only {available.Length} data bytes follow its offset");
        }

        int length = 0;
        for (int i = 0; i < count; i++)
        {
            int nul = available[length..].IndexOf((byte)0);
            if (nul < 0)
            {
                throw new RpmFormatException(
                    $"corrupt RPM: {where} string {i + 1} of {count} is not NUL-terminated before the end of the data store");
            }

            length += nul + 1;
        }

        return length;
    }
}

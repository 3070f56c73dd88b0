using System.Buffers.Binary;

namespace Forgeline.Rpm;

/// <summary>An RPM header structure (signature or main header): tagged, typed entries plus the bytes it was read from.</summary>
public sealed partial class RpmHeader
{
    /// <summary>Most index entries a header may claim (rpm's HEADER_TAGS_MAX).</summary>
    public const int MaxIndexEntries = 0xffff;

    /// <summary>Largest data store a header may claim, 256 MiB (rpm's HEADER_DATA_MAX).</summary>
    public const int MaxDataSize = 256 * 1024 * 1024;

    private readonly List<RpmHeaderEntry> _entries;
    private readonly byte[]? _raw;

    /// <summary>Creates an empty header, optionally wrapped in a region (62 for signature headers, 63 for main headers).</summary>
    public RpmHeader(int? regionTag = null)
    {
        if (regionTag is int tag && !RpmHeaderCodec.IsRegionTag(tag))
        {
            throw new ArgumentOutOfRangeException(nameof(regionTag), tag, "a region tag must be 61, 62 or 63");
        }

        RegionTag = regionTag;
        _entries = [];
        IsModified = true;
    }

    private RpmHeader(int? regionTag, List<RpmHeaderEntry> entries, byte[]? raw, bool modified)
    {
        RegionTag = regionTag;
        _entries = entries;
        _raw = raw;
        IsModified = modified;
    }

    /// <summary>The region tag wrapping the header (62 signature, 63 immutable main header), or null for a legacy header.</summary>
    public int? RegionTag { get; }

    /// <summary>The exact bytes the header was read from (preamble, index, data; no padding); empty for headers built in memory.</summary>
    public ReadOnlyMemory<byte> RawBytes => _raw;

    /// <summary>True once the header differs from <see cref="RawBytes"/> (always true for headers built in memory).</summary>
    public bool IsModified { get; private set; }

    /// <summary>The tags present, in index order, excluding the region tag.</summary>
    public IReadOnlyList<int> Tags => _entries.ConvertAll(e => e.Tag);

    /// <summary>Reads one header from the current position of <paramref name="stream"/>, leaving the stream just after it.</summary>
    public static RpmHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(new PackageInput(stream), "header");
    }

    /// <summary>Parses a header from exactly its bytes (preamble, index and data store, no padding).</summary>
    public static RpmHeader Parse(ReadOnlySpan<byte> bytes) => FromRaw(bytes.ToArray(), "header");

    /// <summary>Reads a header from <paramref name="input"/>, naming it <paramref name="what"/> in error messages.</summary>
    internal static RpmHeader Read(PackageInput input, string what) => FromRaw(RpmHeaderCodec.ReadRaw(input, what), what);

    /// <summary>True when an entry with <paramref name="tag"/> exists.</summary>
    public bool Contains(int tag) => Find(tag) is not null;

    /// <summary>The data type of <paramref name="tag"/>, or null when absent.</summary>
    public RpmTagType? GetTagType(int tag) => Find(tag)?.Type;

    /// <summary>The number of values stored for <paramref name="tag"/>, or null when absent.</summary>
    public int? GetCount(int tag) => Find(tag)?.Count;

    /// <summary>A String value, or the first (untranslated) value of an I18nString; null when absent.</summary>
    public string? GetString(int tag)
    {
        RpmHeaderEntry? entry = Find(tag);
        return entry is null ? null : Expect(entry, "a string", RpmTagType.String, RpmTagType.I18nString).DecodeStrings().FirstOrDefault();
    }

    /// <summary>The values of a StringArray (or I18nString, or a single String); null when absent.</summary>
    public IReadOnlyList<string>? GetStringArray(int tag)
    {
        RpmHeaderEntry? entry = Find(tag);
        return entry is null ? null : Expect(entry, "a string array", RpmTagType.StringArray, RpmTagType.I18nString, RpmTagType.String).DecodeStrings();
    }

    /// <summary>An I18nString value for <paramref name="locale"/> (looked up in the I18N table), falling back to the untranslated value.</summary>
    public string? GetI18nString(int tag, string? locale = null)
    {
        RpmHeaderEntry? entry = Find(tag);
        if (entry is null)
        {
            return null;
        }

        string[] values = Expect(entry, "an I18N string", RpmTagType.I18nString, RpmTagType.String).DecodeStrings();
        int chosen = 0;
        if (locale is not null && entry.Type == RpmTagType.I18nString && Find(RpmTag.HeaderI18nTable) is { Type: RpmTagType.StringArray } table)
        {
            string[] locales = table.DecodeStrings();
            string language = locale.Split('_', '.', '@')[0];
            int exact = Array.IndexOf(locales, locale);
            chosen = exact >= 0 ? exact : Math.Max(Array.IndexOf(locales, language), 0);
        }

        return chosen < values.Length ? values[chosen] : values.FirstOrDefault();
    }

    /// <summary>The first Int32 value of <paramref name="tag"/>; null when absent or empty.</summary>
    public int? GetInt32(int tag) => GetInt32Array(tag) is { Length: > 0 } values ? values[0] : null;

    /// <summary>All Int32 values of <paramref name="tag"/>; null when absent.</summary>
    public int[]? GetInt32Array(int tag)
    {
        RpmHeaderEntry? entry = Find(tag);
        if (entry is null)
        {
            return null;
        }

        byte[] data = Expect(entry, "32-bit integers", RpmTagType.Int32).Data;
        var values = new int[data.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(i * 4));
        }

        return values;
    }

    /// <summary>The first Int64 value of <paramref name="tag"/>; null when absent or empty.</summary>
    public long? GetInt64(int tag) => GetInt64Array(tag) is { Length: > 0 } values ? values[0] : null;

    /// <summary>All Int64 values of <paramref name="tag"/>; null when absent.</summary>
    public long[]? GetInt64Array(int tag)
    {
        RpmHeaderEntry? entry = Find(tag);
        if (entry is null)
        {
            return null;
        }

        byte[] data = Expect(entry, "64-bit integers", RpmTagType.Int64).Data;
        var values = new long[data.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(i * 8));
        }

        return values;
    }

    /// <summary>A copy of the Binary data of <paramref name="tag"/>; null when absent.</summary>
    public byte[]? GetBinary(int tag)
    {
        RpmHeaderEntry? entry = Find(tag);
        return entry is null ? null : (byte[])Expect(entry, "binary data", RpmTagType.Binary).Data.Clone();
    }

    /// <summary>A deep copy of this header, including its raw bytes and modification state.</summary>
    public RpmHeader Clone() => new(RegionTag, _entries.ConvertAll(e => e.Clone()), _raw, IsModified);

    /// <summary>Lays the header out afresh as rpm would, regardless of <see cref="RawBytes"/>.</summary>
    public byte[] Encode() => RpmHeaderLayout.Encode(RegionTag, _entries);

    /// <summary>The header's bytes: <see cref="RawBytes"/> verbatim while unmodified, otherwise <see cref="Encode"/>.</summary>
    public byte[] ToBytes() => !IsModified && _raw is not null ? (byte[])_raw.Clone() : Encode();

    /// <summary>Writes <see cref="ToBytes"/> to <paramref name="destination"/> (no padding).</summary>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToBytes());
    }

    private static RpmHeader FromRaw(byte[] raw, string what)
    {
        (int? regionTag, List<RpmHeaderEntry> entries) = RpmHeaderCodec.Decode(raw, what);
        return new RpmHeader(regionTag, entries, raw, modified: false);
    }

    private static RpmHeaderEntry Expect(RpmHeaderEntry entry, string wanted, params RpmTagType[] types) =>
        Array.IndexOf(types, entry.Type) >= 0
            ? entry
            : throw new RpmFormatException($"RPM header tag {entry.Tag} holds {entry.Type} data, not {wanted}");

    private RpmHeaderEntry? Find(int tag) => _entries.Find(e => e.Tag == tag);
}

using System.Buffers.Binary;

namespace Forgeline.Rpm;

/// <summary>Methods that add, replace and remove header entries.</summary>
public sealed partial class RpmHeader
{
    /// <summary>Adds or replaces <paramref name="tag"/> with one String value.</summary>
    public void SetString(int tag, string value) =>
        Put(RpmHeaderEntry.FromStrings(CheckTag(tag), RpmTagType.String, [value]));

    /// <summary>Adds or replaces <paramref name="tag"/> with a StringArray of one or more values.</summary>
    public void SetStringArray(int tag, IReadOnlyList<string> values) =>
        Put(RpmHeaderEntry.FromStrings(CheckTag(tag), RpmTagType.StringArray, CheckNotEmpty(values)));

    /// <summary>Adds or replaces <paramref name="tag"/> with an I18nString holding only the untranslated value.</summary>
    public void SetI18nString(int tag, string value) =>
        Put(RpmHeaderEntry.FromStrings(CheckTag(tag), RpmTagType.I18nString, [value]));

    /// <summary>Adds or replaces <paramref name="tag"/> with one Int32 value.</summary>
    public void SetInt32(int tag, int value) => SetInt32Array(tag, [value]);

    /// <summary>Adds or replaces <paramref name="tag"/> with one or more Int32 values.</summary>
    public void SetInt32Array(int tag, IReadOnlyList<int> values)
    {
        CheckNotEmpty(values);
        byte[] data = new byte[values.Count * 4];
        for (int i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(i * 4), values[i]);
        }

        Put(new RpmHeaderEntry(CheckTag(tag), RpmTagType.Int32, values.Count, data));
    }

    /// <summary>Adds or replaces <paramref name="tag"/> with one Int64 value.</summary>
    public void SetInt64(int tag, long value) => SetInt64Array(tag, [value]);

    /// <summary>Adds or replaces <paramref name="tag"/> with one or more Int64 values.</summary>
    public void SetInt64Array(int tag, IReadOnlyList<long> values)
    {
        CheckNotEmpty(values);
        byte[] data = new byte[values.Count * 8];
        for (int i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(i * 8), values[i]);
        }

        Put(new RpmHeaderEntry(CheckTag(tag), RpmTagType.Int64, values.Count, data));
    }

    /// <summary>Adds or replaces <paramref name="tag"/> with Binary data (at least one byte).</summary>
    public void SetBinary(int tag, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            throw new ArgumentException("rpm does not allow empty binary entries", nameof(value));
        }

        Put(new RpmHeaderEntry(CheckTag(tag), RpmTagType.Binary, value.Length, value.ToArray()));
    }

    /// <summary>Removes every entry with <paramref name="tag"/>; returns false when there was none.</summary>
    public bool Remove(int tag)
    {
        bool removed = _entries.RemoveAll(e => e.Tag == tag) > 0;
        IsModified |= removed;
        return removed;
    }

    private static int CheckTag(int tag) =>
        tag >= RpmTag.HeaderI18nTable
            ? tag
            : throw new ArgumentOutOfRangeException(nameof(tag), tag, "tags below 100 are reserved (region tags are managed by RpmHeader)");

    private static IReadOnlyList<T> CheckNotEmpty<T>(IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count > 0 ? values : throw new ArgumentException("rpm does not allow empty arrays", nameof(values));
    }

    private void Put(RpmHeaderEntry entry)
    {
        IsModified = true;
        int existing = _entries.FindIndex(e => e.Tag == entry.Tag);
        if (existing >= 0)
        {
            _entries[existing] = entry;
            _entries.RemoveAll(e => e.Tag == entry.Tag && !ReferenceEquals(e, entry));
            return;
        }

        // New tags go before the first larger tag, which keeps rpm's tag-sorted order for headers rpm wrote.
        int position = _entries.FindIndex(e => e.Tag > entry.Tag);
        _entries.Insert(position < 0 ? _entries.Count : position, entry);
    }
}

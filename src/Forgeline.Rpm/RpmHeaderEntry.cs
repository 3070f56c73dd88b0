using System.Text;

namespace Forgeline.Rpm;

/// <summary>One decoded header index entry together with a private copy of its data bytes.</summary>
internal sealed class RpmHeaderEntry(int tag, RpmTagType type, int count, byte[] data)
{
    /// <summary>The tag number.</summary>
    public int Tag { get; } = tag;

    /// <summary>The data type.</summary>
    public RpmTagType Type { get; } = type;

    /// <summary>Number of values (bytes for binary data, strings for string arrays).</summary>
    public int Count { get; } = count;

    /// <summary>The data exactly as stored, including string terminators.</summary>
    public byte[] Data { get; } = data;

    /// <summary>Alignment rpm requires for the data of <paramref name="type"/>.</summary>
    public static int AlignmentOf(RpmTagType type) => type switch
    {
        RpmTagType.Int16 => 2,
        RpmTagType.Int32 => 4,
        RpmTagType.Int64 => 8,
        _ => 1,
    };

    /// <summary>Builds a string-typed entry: one value for String, any number for the array types.</summary>
    public static RpmHeaderEntry FromStrings(int tag, RpmTagType type, IReadOnlyList<string> values)
    {
        using var buffer = new MemoryStream();
        foreach (string value in values)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"tag {tag}: RPM strings cannot contain NUL characters", nameof(values));
            }

            buffer.Write(Encoding.UTF8.GetBytes(value));
            buffer.WriteByte(0);
        }

        return new RpmHeaderEntry(tag, type, values.Count, buffer.ToArray());
    }

    /// <summary>Decodes the NUL-terminated strings of a String, StringArray or I18nString entry.</summary>
    public string[] DecodeStrings()
    {
        var strings = new string[Count];
        ReadOnlySpan<byte> rest = Data;
        for (int i = 0; i < strings.Length; i++)
        {
            int nul = rest.IndexOf((byte)0);
            if (nul < 0)
            {
                // Only reachable for entries built in memory; parsed entries are checked on read.
                nul = rest.Length;
            }

            strings[i] = Encoding.UTF8.GetString(rest[..nul]);
            rest = nul < rest.Length ? rest[(nul + 1)..] : [];
        }

        return strings;
    }

    /// <summary>A deep copy of this entry.</summary>
    public RpmHeaderEntry Clone() => new(Tag, Type, Count, (byte[])Data.Clone());
}

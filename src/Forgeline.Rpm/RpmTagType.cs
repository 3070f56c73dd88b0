namespace Forgeline.Rpm;

/// <summary>The data type of an RPM header entry, as stored in the header index.</summary>
public enum RpmTagType
{
    /// <summary>No data (type 0).</summary>
    Null = 0,

    /// <summary>Single bytes used as characters (type 1).</summary>
    Char = 1,

    /// <summary>8-bit integers (type 2).</summary>
    Int8 = 2,

    /// <summary>Big-endian 16-bit integers, 2-byte aligned (type 3).</summary>
    Int16 = 3,

    /// <summary>Big-endian 32-bit integers, 4-byte aligned (type 4).</summary>
    Int32 = 4,

    /// <summary>Big-endian 64-bit integers, 8-byte aligned (type 5).</summary>
    Int64 = 5,

    /// <summary>One NUL-terminated string (type 6).</summary>
    String = 6,

    /// <summary>Opaque bytes (type 7).</summary>
    Binary = 7,

    /// <summary>A sequence of NUL-terminated strings (type 8).</summary>
    StringArray = 8,

    /// <summary>NUL-terminated strings, one per locale of the I18N table (type 9).</summary>
    I18nString = 9,
}

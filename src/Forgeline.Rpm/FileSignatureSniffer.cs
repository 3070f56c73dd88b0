namespace Forgeline.Rpm;

/// <summary>Guesses what kind of file some leading bytes belong to, for "not an RPM" error messages.</summary>
internal static class FileSignatureSniffer
{
    /// <summary>Returns a phrase such as "a gzip file", or null when the bytes are not recognised.</summary>
    public static string? Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            return "a gzip file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a]))
        {
            return "an xz file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]))
        {
            return "a zstd file";
        }

        if (head.StartsWith("BZh"u8))
        {
            return "a bzip2 file";
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return "a zip file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x7f, 0x45, 0x4c, 0x46]))
        {
            return "an ELF executable";
        }

        if (head.StartsWith("!<ar"u8))
        {
            return "an ar archive such as a .deb";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x8e, 0xad, 0xe8]))
        {
            return "a bare RPM header without the lead";
        }

        if (head.StartsWith("0707"u8))
        {
            return "a cpio archive";
        }

        if (head.StartsWith("%PDF"u8))
        {
            return "a PDF document";
        }

        if (head.StartsWith("<"u8) || head.StartsWith("\n<"u8) || head.StartsWith("\r\n<"u8))
        {
            return "HTML or XML text, perhaps an error page";
        }

        if (head.StartsWith("#!"u8))
        {
            return "a script";
        }

        return null;
    }
}

using System.Text;

namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>ASCII armor (RFC 4880 section 6): base64 lines between BEGIN/END markers, with a CRC-24 checksum line.</summary>
internal static class OpenPgpArmor
{
    /// <summary>Label of public key blocks.</summary>
    public const string PublicKeyBlock = "PGP PUBLIC KEY BLOCK";

    /// <summary>Label of detached signatures.</summary>
    public const string Signature = "PGP SIGNATURE";

    private const string BeginPrefix = "-----BEGIN ";
    private const string Dashes = "-----";

    /// <summary>Armors <paramref name="data"/> as a block labelled <paramref name="label"/>, lines ending in "\n".</summary>
    public static string Encode(string label, ReadOnlySpan<byte> data)
    {
        string base64 = Convert.ToBase64String(data);
        var text = new StringBuilder(base64.Length + (base64.Length / 64) + 100);
        text.Append(BeginPrefix).Append(label).Append(Dashes).Append("\n\n");
        for (int i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        uint crc = Crc24(data);
        text.Append('=').Append(Convert.ToBase64String([(byte)(crc >> 16), (byte)(crc >> 8), (byte)crc])).Append('\n');
        text.Append("-----END ").Append(label).Append(Dashes).Append('\n');
        return text.ToString();
    }

    /// <summary>True when <paramref name="text"/> (after leading whitespace) starts with an armor BEGIN line.</summary>
    public static bool LooksArmored(string text) => text.TrimStart().StartsWith(BeginPrefix, StringComparison.Ordinal);

    /// <summary>Decodes the first armored block in <paramref name="text"/>; returns its label and bytes, checking the CRC when present.</summary>
    public static (string Label, byte[] Data) Decode(string text, string what)
    {
        string[] lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        int begin = Array.FindIndex(lines, l => l.StartsWith(BeginPrefix, StringComparison.Ordinal));
        if (begin < 0 || !lines[begin].TrimEnd().EndsWith(Dashes, StringComparison.Ordinal))
        {
            throw new OpenPgpFormatException(
                $"the {what} is not ASCII-armored: no \"-----BEGIN PGP ...-----\" line; pass the output of gpg --armor");
        }

        string label = lines[begin].TrimEnd()[BeginPrefix.Length..^Dashes.Length];
        string end = $"-----END {label}-----";
        int line = begin + 1;
        while (line < lines.Length && lines[line].Trim().Length > 0 && lines[line].Contains(':', StringComparison.Ordinal))
        {
            line++; // armor headers such as "Comment: ..." or "Version: ..."
        }

        var base64 = new StringBuilder();
        string? checksum = null;
        for (; line < lines.Length; line++)
        {
            string current = lines[line].Trim();
            if (current == end)
            {
                return (label, Finish(base64.ToString(), checksum, what));
            }

            if (current.StartsWith('=') && current.Length == 5)
            {
                checksum = current[1..];
            }
            else
            {
                base64.Append(current);
            }
        }

        throw new OpenPgpFormatException($"the {what} is cut off: the armored block has no \"{end}\" line");
    }

    private static byte[] Finish(string base64, string? checksum, string what)
    {
        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new OpenPgpFormatException($"the {what} is damaged: its armored body is not valid base64", e);
        }

        if (checksum is not null)
        {
            byte[] expected;
            try
            {
                expected = Convert.FromBase64String(checksum);
            }
            catch (FormatException e)
            {
                throw new OpenPgpFormatException($"the {what} is damaged: its armor checksum line is not valid base64", e);
            }

            uint crc = Crc24(data);
            if (expected.Length != 3 || expected[0] != (byte)(crc >> 16) || expected[1] != (byte)(crc >> 8) || expected[2] != (byte)crc)
            {
                throw new OpenPgpFormatException(
                    $"the {what} is damaged: its armor checksum does not match the data; copy the whole block again");
            }
        }

        return data;
    }

    private static uint Crc24(ReadOnlySpan<byte> data)
    {
        uint crc = 0xB704CE;
        foreach (byte b in data)
        {
            crc ^= (uint)b << 16;
            for (int i = 0; i < 8; i++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0)
                {
                    crc ^= 0x1864CFB;
                }
            }
        }

        return crc & 0xFFFFFF;
    }
}

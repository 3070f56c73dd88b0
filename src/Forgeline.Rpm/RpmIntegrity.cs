using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace Forgeline.Rpm;

/// <summary>
/// Checks every digest an RPM carries against its bytes, as <c>rpmkeys -Kv</c> does before rpmsign agrees to sign: the
/// header SHA256 and SHA1 (signature header tags 273, 269), the payload digest (main header tag 5092 with its algorithm
/// 5093, over the payload as stored), the legacy MD5 over header and payload (1004) and the header-plus-payload size
/// (1000 or 270). The file is read once, from its start; the payload is streamed, never held in memory.
/// </summary>
public static class RpmIntegrity
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Reads the package from the current position of <paramref name="stream"/> to its end and returns what each digest
    /// gave. Throws <see cref="RpmFormatException"/> when the lead or headers are not a readable v4 package.
    /// </summary>
    public static RpmIntegrityReport Check(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        RpmPackage package = RpmPackage.Read(stream);
        RpmHeader signature = package.Signature;
        ReadOnlySpan<byte> header = package.Header.RawBytes.Span;

        string? payloadExpected = package.Header.Contains(RpmTag.PayloadDigest)
            ? package.Header.GetStringArray(RpmTag.PayloadDigest) is [var first, ..] ? first : string.Empty
            : null;
        int payloadAlgorithm = package.Header.GetInt32(RpmTag.PayloadDigestAlgo) ?? HashAlgorithmId.Sha256;
        byte[]? md5Expected = signature.Contains(RpmSignatureTag.Md5) ? signature.GetBinary(RpmSignatureTag.Md5) : null;

        using IncrementalHash? payloadHash = payloadExpected is null ? null : HashAlgorithmId.Create(payloadAlgorithm);
#pragma warning disable CA5351 // rpm's legacy MD5 (tag 1004) is checked for integrity as rpm does; nothing trusts it as a signature
        using IncrementalHash? md5 = md5Expected is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        md5?.AppendData(header);
        long payloadLength = Stream(stream, payloadHash, md5);

        var checks = new List<RpmDigestCheck>();
        if (signature.GetString(RpmSignatureTag.Sha256) is string sha256)
        {
            checks.Add(new RpmDigestCheck("Header SHA256 digest", sha256, Convert.ToHexStringLower(SHA256.HashData(header))));
        }

        if (signature.GetString(RpmSignatureTag.Sha1) is string sha1)
        {
#pragma warning disable CA5350 // rpm's header SHA1 (tag 269) is an integrity check rpm still makes; nothing trusts it as a signature
            checks.Add(new RpmDigestCheck("Header SHA1 digest", sha1, Convert.ToHexStringLower(SHA1.HashData(header))));
#pragma warning restore CA5350
        }

        if (payloadExpected is not null)
        {
            string name = $"Payload {HashAlgorithmId.Name(payloadAlgorithm)} digest";
            checks.Add(payloadHash is null
                ? new RpmDigestCheck(name, payloadExpected, $"nothing: digest algorithm {payloadAlgorithm} is not supported")
                : new RpmDigestCheck(name, payloadExpected, Convert.ToHexStringLower(payloadHash.GetHashAndReset())));
        }

        if (md5Expected is not null && md5 is not null)
        {
            checks.Add(new RpmDigestCheck("MD5 digest", Convert.ToHexStringLower(md5Expected), Convert.ToHexStringLower(md5.GetHashAndReset())));
        }

        long? size = signature.GetInt64(RpmSignatureTag.LongSize) ?? (signature.GetInt32(RpmSignatureTag.Size) is int small ? (uint)small : null);
        if (size is long recorded)
        {
            checks.Add(new RpmDigestCheck(
                "Size",
                $"{recorded.ToString(CultureInfo.InvariantCulture)} bytes of header and payload",
                $"{(header.Length + payloadLength).ToString(CultureInfo.InvariantCulture)} bytes of header and payload"));
        }

        return new RpmIntegrityReport(package, checks);
    }

    /// <summary>Checks the package file at <paramref name="path"/>; see <see cref="Check(Stream)"/>.</summary>
    public static RpmIntegrityReport Check(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Check(file);
    }

    private static long Stream(Stream stream, IncrementalHash? payload, IncrementalHash? md5)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = stream.Read(buffer, 0, BufferSize)) > 0)
            {
                payload?.AppendData(buffer, 0, read);
                md5?.AppendData(buffer, 0, read);
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Forgeline.Rpm;

namespace Forgeline.Testing;

/// <summary>The ways rpm's own test suite damages a package (rpmsigdig.at), rebuilt here on a real RPM.</summary>
public enum RpmCorruption
{
    /// <summary>One byte of the compressed payload flipped: the payload digest and MD5 fail.</summary>
    PayloadByte,

    /// <summary>One byte of the main header (a letter of the summary) changed: the header digests and MD5 fail.</summary>
    HeaderByte,

    /// <summary>One hex digit of the header SHA256 recorded in the signature header changed: only that digest fails.</summary>
    SignatureDigest,

    /// <summary>A package whose only digest is the legacy MD5 (no header SHA1/SHA256, no payload digest), with a payload byte flipped.</summary>
    Md5OnlyPayloadByte,

    /// <summary>The last 100 bytes cut off: the payload digest, MD5 and size fail.</summary>
    Truncated,
}

/// <summary>Makes damaged copies of a good RPM, byte for byte as rpm's test suite damages its packages.</summary>
public static class CorruptRpms
{
    /// <summary>Writes <paramref name="good"/> damaged as <paramref name="corruption"/> says to <paramref name="target"/>.</summary>
    public static void Write(string good, RpmCorruption corruption, string target)
    {
        byte[] bytes = corruption == RpmCorruption.Md5OnlyPayloadByte ? Md5Only(good) : File.ReadAllBytes(good);
        RpmPackage package;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            package = RpmPackage.Read(stream);
        }

        switch (corruption)
        {
            case RpmCorruption.PayloadByte or RpmCorruption.Md5OnlyPayloadByte:
                bytes[package.PayloadOffset + ((bytes.Length - package.PayloadOffset) / 2)] ^= 0x01;
                break;
            case RpmCorruption.HeaderByte:
                // A letter inside the summary: the header still parses, only its digests change.
                int at = IndexOf(bytes, "Test package", (int)package.HeaderOffset);
                bytes[at] ^= 0x20;
                break;
            case RpmCorruption.SignatureDigest:
                string sha256 = package.Signature.GetString(RpmSignatureTag.Sha256) ?? throw new InvalidOperationException($"{good} has no header SHA256");
                int digit = IndexOf(bytes, sha256, RpmLead.Size) + 10;
                bytes[digit] = (byte)(bytes[digit] == (byte)'0' ? '1' : '0');
                break;
            case RpmCorruption.Truncated:
                Array.Resize(ref bytes, bytes.Length - 100);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }

        File.WriteAllBytes(target, bytes);
    }

    /// <summary>
    /// <paramref name="good"/> rewritten as rpm before 4.14 wrote packages: the signature header holds only the size, the MD5
    /// over header and payload and the payload size, and the main header has no payload digest. rpmbuild 4.18 cannot be made
    /// to write this, so the tags are removed and the MD5 and size computed afresh.
    /// </summary>
    public static byte[] Md5Only(string good)
    {
        byte[] bytes = File.ReadAllBytes(good);
        RpmPackage package;
        using (var stream = new MemoryStream(bytes, writable: false))
        {
            package = RpmPackage.Read(stream);
        }

        RpmHeader header = package.Header.Clone();
        header.Remove(RpmTag.PayloadDigest);
        header.Remove(RpmTag.PayloadDigestAlgo);
        header.Remove(RpmTag.PayloadDigestAlt);
        byte[] headerBytes = header.Encode();
        ReadOnlySpan<byte> payload = bytes.AsSpan((int)package.PayloadOffset);

        var signature = new RpmHeader(RpmTag.HeaderSignatures);
        signature.SetInt32(RpmSignatureTag.Size, headerBytes.Length + payload.Length);
#pragma warning disable CA5351 // the legacy digest under test is MD5 by definition
        signature.SetBinary(RpmSignatureTag.Md5, MD5.HashData([.. headerBytes, .. payload]));
#pragma warning restore CA5351
        if (package.Signature.GetInt32(RpmSignatureTag.PayloadSize) is int archiveSize)
        {
            signature.SetInt32(RpmSignatureTag.PayloadSize, archiveSize);
        }

        byte[] signatureBytes = signature.Encode();
        return [.. package.Lead.ToBytes(), .. signatureBytes, .. new byte[RpmPackage.SignaturePadding(signatureBytes.Length)], .. headerBytes, .. payload];
    }

    private static int IndexOf(byte[] bytes, string text, int from)
    {
        int at = bytes.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(text));
        return at >= 0 ? from + at : throw new InvalidOperationException($"'{text}' is not in the package");
    }
}

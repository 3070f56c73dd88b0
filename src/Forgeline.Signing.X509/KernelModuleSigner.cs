using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>
/// Signs Linux kernel modules the way the kernel's <c>scripts/sign-file</c> does: a detached PKCS#7/CMS SignedData over the
/// module, without signed attributes or certificates, naming the signer by issuer and serial number; then
/// <c>struct module_signature</c> and the magic "~Module signature appended~\n". The hash is computed here; only the
/// digest goes to the <see cref="DigestSigner"/>.
/// </summary>
public static class KernelModuleSigner
{
    /// <summary>The string that ends every signed module.</summary>
    public const string Magic = "~Module signature appended~\n";

    private const int SignatureInfoSize = 12;
    private const byte IdPkcs7 = 2;
    private const string DataOid = "1.2.840.113549.1.7.1";

    private static ReadOnlySpan<byte> MagicBytes => "~Module signature appended~\n"u8;

    /// <summary>
    /// Signs <paramref name="module"/> (an uncompressed .ko) and returns the signed module. An already-signed module is refused
    /// unless <paramref name="replaceExisting"/>, in which case its old signature is removed first. Compressed modules
    /// (.ko.xz, .ko.zst, .ko.gz) are refused: decompress, sign, then compress again, because the kernel checks the signature
    /// of the decompressed module (kbuild also signs before compressing).
    /// </summary>
    public static byte[] Sign(byte[] module, X509Certificate2 certificate, DigestSigner signer, HashAlgorithmName hash, bool replaceExisting)
    {
        DigestAlgorithms.EnsureSupported(hash);
        ReadOnlySpan<byte> content = module;
        if (IsSigned(content))
        {
            if (!replaceExisting)
            {
                throw new X509SigningException("the module is already signed; re-sign it with this key by asking to replace the signature (forgeline sign kmod --replace)");
            }

            content = RemoveSignatures(content);
        }

        ElfModule.Validate(content);
        var unsigned = content.ToArray();
        var pkcs7 = CreateSignature(unsigned, certificate, signer, hash);

        var signed = new byte[unsigned.Length + pkcs7.Length + SignatureInfoSize + MagicBytes.Length];
        unsigned.CopyTo(signed, 0);
        pkcs7.CopyTo(signed, unsigned.Length);
        var info = signed.AsSpan(unsigned.Length + pkcs7.Length, SignatureInfoSize);
        info[2] = IdPkcs7; // algo, hash, signer_len and key_id_len stay 0: PKCS#7 names them itself.
        BinaryPrimitives.WriteUInt32BigEndian(info[8..], (uint)pkcs7.Length);
        MagicBytes.CopyTo(signed.AsSpan(signed.Length - MagicBytes.Length));
        return signed;
    }

    /// <summary>Whether <paramref name="module"/> ends with a module signature.</summary>
    public static bool IsSigned(ReadOnlySpan<byte> module) => module.EndsWith(MagicBytes);

    /// <summary>The module without its appended signature(s); an unsigned module is returned unchanged.</summary>
    public static byte[] RemoveSignature(byte[] module) => RemoveSignatures(module).ToArray();

    private static ReadOnlySpan<byte> RemoveSignatures(ReadOnlySpan<byte> module)
    {
        while (IsSigned(module))
        {
            var trailer = MagicBytes.Length + SignatureInfoSize;
            if (module.Length < trailer)
            {
                throw new X509SigningException("the module signature is damaged: the file is shorter than the signature trailer");
            }

            var info = module.Slice(module.Length - trailer, SignatureInfoSize);
            var length = (long)BinaryPrimitives.ReadUInt32BigEndian(info[8..]) + info[3] + info[4] + trailer;
            if (length > module.Length)
            {
                throw new X509SigningException(
                    $"the module signature is damaged: it claims {length} bytes but the file has {module.Length}; use the original module");
            }

            module = module[..(int)(module.Length - length)];
        }

        return module;
    }

    private static byte[] CreateSignature(byte[] content, X509Certificate2 certificate, DigestSigner signer, HashAlgorithmName hash)
    {
        using var key = RemoteKeys.For(certificate, signer);
        var cms = new SignedCms(new ContentInfo(new Oid(DataOid), content), detached: true);

        // Content type id-data and no signed attributes: SignedCms then signs the content hash itself, as sign-file
        // (CMS_NOATTR) does. IncludeOption None leaves the certificate out, as sign-file (CMS_NOCERTS) does; the kernel
        // finds the key in its keyring by issuer and serial number.
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, key)
        {
            DigestAlgorithm = new Oid(DigestAlgorithms.Oid(hash)),
            IncludeOption = X509IncludeOption.None,
        };
        try
        {
            cms.ComputeSignature(cmsSigner, silent: true);
        }
        catch (CryptographicException e)
        {
            throw new X509SigningException($"signing with {certificate.Subject} failed: {e.Message}", e);
        }

        return SignedDataEncoding.Rewrite(cms.Encode());
    }
}

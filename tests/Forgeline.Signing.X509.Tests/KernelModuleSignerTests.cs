using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>Signing Debian's kernel modules, checked by modinfo, openssl cms and the kernel's own sign-file.</summary>
public sealed class KernelModuleSignerTests(KernelModuleInputs inputs) : IClassFixture<KernelModuleInputs>, IDisposable
{
    private readonly TempDirectory _dir = new("forgeline-kmod");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_Debian_module_is_already_signed_and_is_not_re_signed_by_accident()
    {
        var module = File.ReadAllBytes(inputs.SmallModule);
        (await ModinfoAsync(inputs.SmallModule, "sig_id")).ShouldBe("PKCS#7");

        KernelModuleSigner.IsSigned(module).ShouldBeTrue();
        var error = Should.Throw<X509SigningException>(() =>
            KernelModuleSigner.Sign(module, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, replaceExisting: false));

        error.Message.ShouldBe("the module is already signed; re-sign it with this key by asking to replace the signature (forgeline sign kmod --replace)");
    }

    [Theory]
    [InlineData("rsa", "crc7")]
    [InlineData("ecdsa", "vfat")]
    public async Task A_replaced_signature_names_our_key_in_modinfo_and_verifies_with_our_chain(string key, string module)
    {
        var pki = key == "rsa" ? inputs.Rsa : inputs.Ecdsa;
        var original = File.ReadAllBytes(module == "crc7" ? inputs.SmallModule : inputs.FilesystemModule);

        var signed = KernelModuleSigner.Sign(original, pki.LeafCertificate, pki.Server, HashAlgorithmName.SHA256, replaceExisting: true);

        var path = _dir[$"{module}.ko"];
        File.WriteAllBytes(path, signed);
        (await ModinfoAsync(path, "sig_id")).ShouldBe("PKCS#7");
        (await ModinfoAsync(path, "signer")).ShouldBe(pki.LeafIssuerCommonName, "kmod names the issuer of the signing certificate, as for sign-file's output");
        (await ModinfoAsync(path, "sig_key")).ShouldBe(Convert.ToHexString(pki.LeafCertificate.SerialNumberBytes.Span).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b));
        (await ModinfoAsync(path, "sig_hashalgo")).ShouldBe("sha256");

        var (content, pkcs7, info) = Split(signed);
        content.ShouldBe(Split(original).Content, "the old signature is removed and the module itself left alone");
        info[..8].ShouldBe(new byte[] { 0, 0, 2, 0, 0, 0, 0, 0 }, "struct module_signature: id_type PKEY_ID_PKCS7, everything else in the PKCS#7");
        File.WriteAllBytes(_dir["module.bin"], content);
        File.WriteAllBytes(_dir["sig.p7s"], pkcs7);
        var verified = await Tool.RunOkAsync("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", _dir["sig.p7s"], "-content", _dir["module.bin"],
            "-certfile", pki.LeafPem, "-CAfile", pki.RootAndIntermediatePem, "-purpose", "any", "-out", _dir["out.bin"]);
        verified.ShouldContain("CMS Verification successful");

        var printed = await Tool.RunOkAsync("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", _dir["sig.p7s"]);
        printed.ShouldContain("certificates:\n      <ABSENT>", Case.Sensitive, "sign-file leaves the certificate out (CMS_NOCERTS)");
        printed.ShouldContain("signedAttrs:\n          <ABSENT>", Case.Sensitive, "sign-file signs without attributes (CMS_NOATTR)");
        printed.ShouldContain("d.issuerAndSerialNumber");

        // Negative controls: without the intermediate the chain cannot be built, and a changed module no longer verifies.
        var (noChain, noChainOutput) = await Tool.RunAsync("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", _dir["sig.p7s"], "-content", _dir["module.bin"],
            "-certfile", pki.LeafPem, "-CAfile", pki.RootPem, "-purpose", "any", "-out", _dir["out.bin"]);
        noChain.ShouldNotBe(0, noChainOutput);
        noChainOutput.ShouldContain("unable to get local issuer certificate");

        content[content.Length / 2] ^= 1;
        File.WriteAllBytes(_dir["module.bin"], content);
        var (code, tampered) = await Tool.RunAsync("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", _dir["sig.p7s"], "-content", _dir["module.bin"],
            "-certfile", pki.LeafPem, "-CAfile", pki.RootAndIntermediatePem, "-purpose", "any", "-out", _dir["out.bin"]);
        code.ShouldNotBe(0, tampered);
    }

    [Fact]
    public async Task The_result_is_what_the_kernels_sign_file_makes_with_the_same_key()
    {
        var unsigned = Split(File.ReadAllBytes(inputs.FilesystemModule)).Content;
        File.WriteAllBytes(_dir["unsigned.ko"], unsigned);
        await Tool.RunOkAsync(inputs.SignFile, "sha256", inputs.Rsa.WriteLeafKeyPem(), inputs.Rsa.LeafPem, _dir["unsigned.ko"], _dir["sign-file.ko"]);

        var ours = KernelModuleSigner.Sign(unsigned, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, replaceExisting: false);

        File.WriteAllBytes(_dir["ours.ko"], ours);
        var theirs = File.ReadAllBytes(_dir["sign-file.ko"]);
        (await Tool.RunOkAsync("modinfo", _dir["ours.ko"])).Replace(_dir["ours.ko"], "M", StringComparison.Ordinal)
            .ShouldBe((await Tool.RunOkAsync("modinfo", _dir["sign-file.ko"])).Replace(_dir["sign-file.ko"], "M", StringComparison.Ordinal));
        Convert.ToHexString(ours).ShouldBe(Convert.ToHexString(theirs), "RSA PKCS#1 v1.5 is deterministic, so the same key gives the same bytes");
    }

    [Fact]
    public void A_module_signed_here_can_be_re_signed_only_with_replace_and_replacing_strips_the_old_signature()
    {
        var unsigned = KernelModuleSigner.RemoveSignature(File.ReadAllBytes(inputs.SmallModule));
        KernelModuleSigner.IsSigned(unsigned).ShouldBeFalse();

        var once = KernelModuleSigner.Sign(unsigned, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, replaceExisting: false);

        Should.Throw<X509SigningException>(() => KernelModuleSigner.Sign(once, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, false));
        var twice = KernelModuleSigner.Sign(once, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, replaceExisting: true);
        twice.ShouldBe(once);
        Split(once).Content.ShouldBe(unsigned);
    }

    [Theory]
    [InlineData("text", "not an ELF object")]
    [InlineData("executable", "not a relocatable object")]
    [InlineData("truncated", "the module is truncated")]
    [InlineData("truncated-signature", "that are not a module signature")]
    [InlineData("damaged-trailer", "the module signature is damaged")]
    [InlineData("xz", "the module is xz-compressed; decompress it first (xz -d)")]
    public async Task Bad_input_is_refused_with_a_clear_message(string kind, string message)
    {
        var module = File.ReadAllBytes(inputs.SmallModule);
        var input = kind switch
        {
            "text" => "this is a README, not a module\n"u8.ToArray(),
            "executable" => File.ReadAllBytes(inputs.SignFile),
            "truncated" => Split(module).Content[..(module.Length / 2)],
            "truncated-signature" => module[..^100],
            "damaged-trailer" => Damaged(module),
            _ => await XzAsync(module),
        };

        var error = Should.Throw<X509SigningException>(() =>
            KernelModuleSigner.Sign(input, inputs.Rsa.LeafCertificate, inputs.Rsa.Server, HashAlgorithmName.SHA256, replaceExisting: true));

        error.Message.ShouldContain(message);
    }

    private static (byte[] Content, byte[] Pkcs7, byte[] Info) Split(byte[] module)
    {
        const int magic = 28;
        const int info = 12;
        module.AsSpan().EndsWith("~Module signature appended~\n"u8).ShouldBeTrue();
        var end = module.Length - magic - info;
        var length = BinaryPrimitives.ReadInt32BigEndian(module.AsSpan(end + 8));
        return (module[..(end - length)], module[(end - length)..end], module[end..(end + info)]);
    }

    private static byte[] Damaged(byte[] module)
    {
        var copy = module.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(copy.Length - 28 - 4), int.MaxValue);
        return copy;
    }

    private async Task<byte[]> XzAsync(byte[] module)
    {
        File.WriteAllBytes(_dir["m.ko"], module);
        await Tool.RunOkAsync("xz", "-k", _dir["m.ko"]);
        return File.ReadAllBytes(_dir["m.ko.xz"]);
    }

    private static async Task<string> ModinfoAsync(string path, string field) =>
        (await Tool.RunOkAsync("modinfo", "-F", field, path)).Trim();
}

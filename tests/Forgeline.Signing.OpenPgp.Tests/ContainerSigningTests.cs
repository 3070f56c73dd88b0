using System.Text;
using System.Text.Json;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Container "simple signing" signatures, judged by skopeo standalone-verify (containers/image over gpgme).</summary>
public sealed class ContainerSigningTests : IDisposable
{
    private const string Reference = "registry.forgeline.test/team/app:1.0";

    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            "size": 2
          },
          "layers": [
            {
              "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
              "digest": "sha256:a2f34d8d5e3c4c4b2c6f4b6e5b0b5c6bd2a8e2a4e5b5b1c2d3e4f5a6b7c8d9e0",
              "size": 1024
            }
          ]
        }
        """);

    private readonly GnuPgHome _gpg = new();

    public static TheoryData<OpenPgpAlgorithm> SigningAlgorithms => new(OpenPgpAlgorithm.Rsa4096, OpenPgpAlgorithm.Ed25519);

    [Theory]
    [MemberData(nameof(SigningAlgorithms))]
    public async Task Skopeo_verifies_the_signature_and_rejects_a_tampered_manifest_or_another_reference(OpenPgpAlgorithm algorithm)
    {
        OpenPgpKeyMaterial key = TestKeys.Material(algorithm);
        await _gpg.ImportAsync(key.ArmoredPublicKey);
        string manifest = _gpg.File("manifest.json");
        string signature = _gpg.File("signature-1");
        await File.WriteAllBytesAsync(manifest, Manifest);
        byte[] payload = ContainerSignaturePayload.Create(Reference, ContainerSignaturePayload.ManifestDigest(Manifest));
        await File.WriteAllBytesAsync(signature, TestKeys.Signer(algorithm).SignMessage(payload, DateTimeOffset.UtcNow));

        ToolResult good = await VerifyAsync(manifest, Reference, key.Fingerprint, signature);
        good.ExitCode.ShouldBe(0, good.Output);
        good.Stdout.ShouldContain($"Signature verified");

        ToolResult wrongKey = await VerifyAsync(manifest, Reference, TestKeys.SecondMaterial(algorithm).Fingerprint, signature);
        wrongKey.ExitCode.ShouldNotBe(0, wrongKey.Output);

        ToolResult wrongReference = await VerifyAsync(manifest, "registry.forgeline.test/team/other:1.0", key.Fingerprint, signature);
        wrongReference.ExitCode.ShouldNotBe(0, wrongReference.Output);
        wrongReference.Stderr.ShouldContain("does not match");

        byte[] tampered = (byte[])Manifest.Clone();
        tampered[Array.IndexOf(tampered, (byte)'1')] = (byte)'9'; // "size": 1024 becomes 9024
        await File.WriteAllBytesAsync(manifest, tampered);
        ToolResult bad = await VerifyAsync(manifest, Reference, key.Fingerprint, signature);
        bad.ExitCode.ShouldNotBe(0, bad.Output);
        bad.Stderr.ShouldContain("does not match");
    }

    [Fact]
    public async Task The_payload_has_the_containers_image_layout_and_the_digest_matches_sha256sum()
    {
        string manifest = _gpg.File("manifest.json");
        await File.WriteAllBytesAsync(manifest, Manifest);
        string digest = ContainerSignaturePayload.ManifestDigest(Manifest);
        DateTimeOffset timestamp = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

        byte[] payload = ContainerSignaturePayload.Create(Reference, digest, timestamp);

        string sum = (await Tools.RunCheckedAsync("sha256sum", manifest)).Stdout.Split(' ')[0];
        digest.ShouldBe($"sha256:{sum}");
        Encoding.UTF8.GetString(payload).ShouldBe(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.forgeline.test/team/app:1.0\"}," +
            $"\"image\":{{\"docker-manifest-digest\":\"{digest}\"}},\"type\":\"atomic container signature\"}}," +
            "\"optional\":{\"creator\":\"forgeline " + typeof(ContainerSignaturePayload).Assembly.GetName().Version!.ToString(3) + "\",\"timestamp\":1750000000}}");
        JsonDocument.Parse(payload).RootElement.GetProperty("critical").GetProperty("type").GetString().ShouldBe("atomic container signature");
        Should.Throw<OpenPgpRequestException>(() => ContainerSignaturePayload.Create(Reference, "sha256:ABC")).Message.ShouldContain("not a manifest digest");
        Should.Throw<OpenPgpRequestException>(() => ContainerSignaturePayload.Create("two words", digest)).Message.ShouldContain("not a docker reference");
    }

    public void Dispose() => _gpg.Dispose();

    private Task<ToolResult> VerifyAsync(string manifest, string reference, string fingerprint, string signature) =>
        Tools.RunAsync("skopeo", ["standalone-verify", manifest, reference, fingerprint, signature], _gpg.Environment);
}

using System.Security.Cryptography;
using System.Text;
using Forgeline.Core.Forges;

namespace Forgeline.Core.Tests.Forges;

/// <summary>
/// The three forges' ways of proving a delivery knows the secret. Expected values are computed here with the forges'
/// documented algorithms (GitHub: hex HMAC-SHA256 of the body; Gitee: base64 HMAC-SHA256 of "timestamp\nsecret",
/// optionally URL-encoded; GitLab: the token itself), plus one fixed vector so a shared mistake cannot hide.
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void GitHub_accepts_the_documented_example_signature()
    {
        // The example from GitHub's "Validating webhook deliveries" page.
        const string Documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        WebhookSignature.VerifyGitHub(Secret, Documented, Body).ShouldBeTrue();
        WebhookSignature.VerifyGitHub(Secret, Documented.ToUpperInvariant(), Body).ShouldBeTrue();
        WebhookSignature.VerifyGitHub(Secret, "  " + Documented + " ", Body).ShouldBeTrue();
    }

    [Theory]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")] // one digit off
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")] // no sha256= prefix
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=")]
    [InlineData("")]
    public void GitHub_rejects_a_wrong_or_malformed_signature(string signature) =>
        WebhookSignature.VerifyGitHub(Secret, signature, Body).ShouldBeFalse();

    [Fact]
    public void GitHub_rejects_a_changed_body_another_secret_a_missing_header_and_an_empty_secret()
    {
        var signature = GitHubSignature(Secret, Body);
        WebhookSignature.VerifyGitHub(Secret, signature, Body).ShouldBeTrue();
        WebhookSignature.VerifyGitHub(Secret, signature, Encoding.UTF8.GetBytes("Hello, World?")).ShouldBeFalse();
        WebhookSignature.VerifyGitHub("another secret", signature, Body).ShouldBeFalse();
        WebhookSignature.VerifyGitHub(Secret, null, Body).ShouldBeFalse();
        WebhookSignature.VerifyGitHub("", GitHubSignature("", Body), Body).ShouldBeFalse();
    }

    [Fact]
    public void Gitee_password_mode_compares_the_token_with_the_secret()
    {
        WebhookSignature.VerifyGitee(Secret, Secret, timestamp: null).ShouldBeTrue();
        WebhookSignature.VerifyGitee(Secret, Secret + " ", timestamp: null).ShouldBeFalse();
        WebhookSignature.VerifyGitee(Secret, "wrong", timestamp: null).ShouldBeFalse();
        WebhookSignature.VerifyGitee(Secret, null, timestamp: null).ShouldBeFalse();
        WebhookSignature.VerifyGitee("", "", timestamp: null).ShouldBeFalse();
    }

    [Fact]
    public void Gitee_signature_mode_accepts_the_signature_plain_and_url_encoded()
    {
        const string Timestamp = "1576754827988";
        var signature = GiteeSignature(Secret, Timestamp);
        signature.ShouldContain("="); // so the URL-encoded form below really differs

        WebhookSignature.VerifyGitee(Secret, signature, Timestamp).ShouldBeTrue();
        WebhookSignature.VerifyGitee(Secret, Uri.EscapeDataString(signature), Timestamp).ShouldBeTrue();
        WebhookSignature.VerifyGitee(Secret, Uri.EscapeDataString(signature).Replace("%3D", "%3d", StringComparison.Ordinal), Timestamp).ShouldBeTrue();
    }

    [Fact]
    public void Gitee_signature_mode_rejects_another_timestamp_the_password_and_another_secret()
    {
        const string Timestamp = "1576754827988";
        var signature = GiteeSignature(Secret, Timestamp);
        WebhookSignature.VerifyGitee(Secret, signature, "1576754827989").ShouldBeFalse();
        WebhookSignature.VerifyGitee(Secret, Secret, Timestamp).ShouldBeFalse();
        WebhookSignature.VerifyGitee("another secret", signature, Timestamp).ShouldBeFalse();
    }

    [Fact]
    public void Gitee_signature_matches_a_fixed_vector()
    {
        // base64(HMAC-SHA256("secret", "1633681635600\nsecret")), computed with openssl:
        // printf '1633681635600\nsecret' | openssl dgst -sha256 -hmac secret -binary | base64
        WebhookSignature.VerifyGitee("secret", "u1vVh2lLnbArZGZtIjPx6TeaOM0xybvfi2IIQxi41j4=", "1633681635600").ShouldBeTrue();
    }

    [Fact]
    public void GitLab_compares_the_token_with_the_secret()
    {
        WebhookSignature.VerifyGitLab(Secret, Secret).ShouldBeTrue();
        WebhookSignature.VerifyGitLab(Secret, Secret.ToUpperInvariant()).ShouldBeFalse();
        WebhookSignature.VerifyGitLab(Secret, Secret[..^1]).ShouldBeFalse();
        WebhookSignature.VerifyGitLab(Secret, null).ShouldBeFalse();
        WebhookSignature.VerifyGitLab("", "").ShouldBeFalse();
    }

    [Fact]
    public void Authentic_tells_the_forge_by_its_header()
    {
        const string Timestamp = "1633681635600";
        Authentic(new() { ["X-Hub-Signature-256"] = GitHubSignature(Secret, Body) }).ShouldBeTrue();
        Authentic(new() { ["X-Gitee-Token"] = Secret }).ShouldBeTrue();
        Authentic(new() { ["X-Gitee-Token"] = GiteeSignature(Secret, Timestamp), ["X-Gitee-Timestamp"] = Timestamp }).ShouldBeTrue();
        Authentic(new() { ["X-Gitlab-Token"] = Secret }).ShouldBeTrue();

        Authentic([]).ShouldBeFalse();
        Authentic(new() { ["X-Hub-Signature-256"] = "sha256=00" }).ShouldBeFalse();
        Authentic(new() { ["X-Gitlab-Token"] = "wrong" }).ShouldBeFalse();

        // The first forge header present decides: a right GitLab token does not rescue a wrong GitHub signature.
        Authentic(new() { ["X-Hub-Signature-256"] = "sha256=00", ["X-Gitlab-Token"] = Secret }).ShouldBeFalse();
        Authentic(new() { ["X-Gitee-Token"] = "wrong", ["X-Gitlab-Token"] = Secret }).ShouldBeFalse();
    }

    private static bool Authentic(Dictionary<string, string> headers)
    {
        var byName = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return WebhookSignature.Authentic(Secret, name => byName.GetValueOrDefault(name), Body);
    }

    private static string GitHubSignature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static string GiteeSignature(string secret, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
}

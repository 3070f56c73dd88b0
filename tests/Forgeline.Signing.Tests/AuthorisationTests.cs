using System.Security.Cryptography;
using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Signing.Tests;

/// <summary>Who may sign with which key, for what, and until when: each refusal is clear and signs nothing.</summary>
public sealed class AuthorisationTests(RpmFixture rpm) : IClassFixture<RpmFixture>, IAsyncLifetime
{
    private SigningHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await SigningHarness.CreateAsync();
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("release", "openpgp", "ed25519", UserId: "Release <release@example.invalid>",
            ExpiresAt: harness.Time.GetUtcNow().AddDays(30), Purposes: ["rpm", "file"], AllowedSigners: ["ci-bot"]), default))).IsSuccess.ShouldBeTrue();
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task An_allowed_token_signs_and_every_signature_is_recorded()
    {
        var result = await SignRpmAsync("ci-bot", isAdmin: false);
        result.IsSuccess.ShouldBeTrue(result.Message);
        result.Value!.Signatures.Count.ShouldBe(1);

        var log = await harness.Signing(s => s.LogAsync("release", 10, null, default));
        var entry = log.ShouldHaveSingleItem();
        (entry.Key, entry.Signer, entry.Format, entry.FileName).ShouldBe(("release", "ci-bot", "rpm", "signme-1.0-1.src.rpm"));
        entry.Digest.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(rpm.Header)));
    }

    [Fact]
    public async Task A_token_without_the_keys_permission_is_refused()
    {
        var result = await SignRpmAsync("someone-else", isAdmin: false);
        result.Error.ShouldBe(ServiceError.Forbidden);
        result.Message!.ShouldContain("may not sign with key 'release'");
        (await harness.Signing(s => s.LogAsync("release", 10, null, default))).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_disabled_key_refuses_until_enabled_again()
    {
        await harness.Keys(k => k.SetEnabledAsync("release", false, default));
        var refused = await SignRpmAsync("ci-bot", isAdmin: false);
        refused.Error.ShouldBe(ServiceError.Conflict);
        refused.Message!.ShouldContain("is disabled");

        await harness.Keys(k => k.SetEnabledAsync("release", true, default));
        (await SignRpmAsync("ci-bot", isAdmin: false)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task An_expired_key_refuses_with_its_date()
    {
        harness.Time.Advance(TimeSpan.FromDays(31));
        var result = await SignRpmAsync("ci-bot", isAdmin: false);
        result.Error.ShouldBe(ServiceError.Conflict);
        result.Message!.ShouldContain("expired on");
    }

    [Fact]
    public async Task A_key_used_outside_its_purpose_is_refused()
    {
        var container = await harness.Signing(s => s.SignAsync("release", "ci-bot", false, new SignRequest("container", [new SignItem("x", Data: [1])]), default));
        container.Message!.ShouldContain("is for rpm, file, not container");
        var kmod = await harness.Signing(s => s.SignAsync("release", "ci-bot", false, new SignRequest("kmod", [new SignItem("x.ko", Digest: new byte[32])]), default));
        kmod.Message!.ShouldContain("not kmod");
        var unknown = await harness.Signing(s => s.SignAsync("release", "ci-bot", false, new SignRequest("iso", [new SignItem("x")]), default));
        unknown.Message!.ShouldContain("unknown format 'iso'");
    }

    [Fact]
    public async Task Bytes_that_are_not_an_rpm_header_are_refused_naming_the_item()
    {
        var items = new[] { new SignItem("good.rpm", Data: rpm.Header), new SignItem("evil.rpm", Data: "not a header"u8.ToArray()) };
        var result = await harness.Signing(s => s.SignAsync("release", "ci-bot", false, new SignRequest("rpm", items), default));
        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message!.ShouldContain("evil.rpm");
        (await harness.Signing(s => s.LogAsync("release", 10, null, default))).ShouldBeEmpty("a refused batch records nothing");
    }

    [Fact]
    public async Task Oversized_and_overfull_requests_are_refused()
    {
        await using var small = await SigningHarness.CreateAsync(settings: new() { ["Forgeline:Signing:MaxItemBytes"] = "1024", ["Forgeline:Signing:MaxItemsPerRequest"] = "2" });
        await small.Keys(k => k.CreateAsync(new CreateKeyRequest("k", "openpgp", "ed25519", UserId: "K <k@example.invalid>"), default));
        var big = await small.Signing(s => s.SignAsync("k", "admin", true, new SignRequest("rpm", [new SignItem("big.rpm", Data: new byte[4096])]), default));
        big.Error.ShouldBe(ServiceError.TooLarge);
        var many = await small.Signing(s => s.SignAsync("k", "admin", true, new SignRequest("rpm", [new SignItem("a"), new SignItem("b"), new SignItem("c")]), default));
        many.Message!.ShouldContain("between 1 and 2 items");
    }

    [Fact]
    public async Task Unknown_keys_and_bad_key_requests_get_clear_errors()
    {
        (await harness.Signing(s => s.SignAsync("nope", "ci-bot", false, new SignRequest("rpm", [new SignItem("x")]), default))).Error.ShouldBe(ServiceError.NotFound);
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("release", "openpgp", "ed25519", UserId: "x"), default))).Error.ShouldBe(ServiceError.Conflict);
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("../etc", "openpgp", "ed25519", UserId: "x"), default))).Message!.ShouldContain("letters, digits");
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("a", "openpgp", "dsa1024", UserId: "x"), default))).Message!.ShouldContain("not available for openpgp keys");
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("b", "openpgp", "ed25519"), default))).Message!.ShouldContain("needs a user id");
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("c", "openpgp", "ed25519", UserId: "x", Purposes: ["efi"]), default))).Message!.ShouldContain("cannot have purpose 'efi'");
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("d", "x509", "rsa2048", Subject: "CN=x", Issuer: "release"), default))).Message!.ShouldContain("not an X.509 CA key");
    }

    [Fact]
    public async Task An_import_needs_exactly_one_private_key_and_an_x509_one_its_certificate()
    {
        (await harness.Keys(k => k.ImportAsync(new ImportKeyRequest("none"), default))).Message!.ShouldContain("give either an OpenPGP secret key, or an X.509 private key");
        (await harness.Keys(k => k.ImportAsync(new ImportKeyRequest("both", OpenPgpSecretKey: "x", PrivateKeyPem: "y"), default))).Error.ShouldBe(ServiceError.Invalid);
        (await harness.Keys(k => k.ImportAsync(new ImportKeyRequest("nocert", PrivateKeyPem: "-----BEGIN PRIVATE KEY-----"), default))).Message!.ShouldContain("needs the certificate");
        (await harness.Keys(k => k.ImportAsync(new ImportKeyRequest("garbage", OpenPgpSecretKey: "not a key"), default))).Error.ShouldBe(ServiceError.Invalid);
    }

    [Fact]
    public async Task Each_signing_writes_one_private_event_for_the_signer_without_key_material_and_a_refusal_none()
    {
        (await SignRpmAsync("someone-else", isAdmin: false)).IsSuccess.ShouldBeFalse();
        (await SignRpmAsync("ci-bot", isAdmin: false)).IsSuccess.ShouldBeTrue();

        await using var db = new ForgelineDbContext(new DbContextOptionsBuilder<ForgelineDbContext>().UseForgelineSqlite(harness.Paths.Database).Options);
        var e = await db.Outbox.SingleAsync();
        (e.Type, e.Subject, e.Owner, e.IsPublic).ShouldBe(("org.forgeline.signature.created", "keys/release", "ci-bot", false));
        using var data = System.Text.Json.JsonDocument.Parse(e.Data);
        data.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["key", "signer", "format", "items"]);
        var item = data.RootElement.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("digest").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(rpm.Header)));
        item.GetProperty("fileName").GetString().ShouldBe("signme-1.0-1.src.rpm");
        e.Data.ShouldNotContain("PGP", Case.Insensitive);
    }

    private Task<ServiceResult<SignResponse>> SignRpmAsync(string signer, bool isAdmin) =>
        harness.Signing(s => s.SignAsync("release", signer, isAdmin, new SignRequest("rpm", [new SignItem("signme-1.0-1.src.rpm", Data: rpm.Header)]), default));
}

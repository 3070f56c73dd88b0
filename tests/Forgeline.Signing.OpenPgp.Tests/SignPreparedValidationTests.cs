using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>The signer signs only current binary-document signatures by its own key; every other prepared request is refused.</summary>
public sealed class SignPreparedValidationTests
{
    private static readonly DateTimeOffset Now = TestKeys.CreatedAt.AddHours(5);
    private static readonly OpenPgpPrivateKey Signer = TestKeys.Signer(OpenPgpAlgorithm.Ed25519);
    private static readonly OpenPgpPublicKeyInfo Key = OpenPgpPublicKeyInfo.Parse(TestKeys.Material(OpenPgpAlgorithm.Ed25519).ArmoredPublicKey);

    [Fact]
    public void A_signature_prepared_nine_minutes_ahead_of_the_signer_clock_is_signed()
    {
        OpenPgpPreparedSignature prepared = Prepare(Key, Now.AddMinutes(9));

        byte[] packet = Signer.SignPrepared(prepared, Now);

        OpenPgpDetachedSignature.Verify(Key, new MemoryStream(Data), packet).ShouldBeTrue();
    }

    [Fact]
    public void A_signature_prepared_for_another_key_is_refused()
    {
        OpenPgpPublicKeyInfo other = OpenPgpPublicKeyInfo.Parse(TestKeys.SecondMaterial(OpenPgpAlgorithm.Ed25519).ArmoredPublicKey);

        Refused(Prepare(other, Now)).ShouldContain($"issuer fingerprint is {other.Fingerprint}, not this key's {Signer.Fingerprint}");
    }

    [Fact]
    public void A_signature_prepared_for_an_rsa_key_is_refused_by_an_ed25519_signer()
    {
        OpenPgpPublicKeyInfo rsa = OpenPgpPublicKeyInfo.Parse(TestKeys.Material(OpenPgpAlgorithm.Rsa2048).ArmoredPublicKey);

        Refused(Prepare(rsa, Now)).ShouldContain("public-key algorithm is 1");
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x13)]
    [InlineData(0x20)]
    public void Signature_types_other_than_binary_document_are_refused(byte type)
    {
        OpenPgpPreparedSignature prepared = Prepare(Key, Now);
        byte[] area = (byte[])prepared.HashedArea.Clone();
        area[1] = type;

        Refused(prepared with { SignatureType = type, HashedArea = area }).ShouldContain("only binary document signatures (0x00)");
        Refused(prepared with { HashedArea = area }).ShouldContain("only binary document signatures (0x00)");
    }

    [Theory]
    [InlineData(-61)]
    [InlineData(60)]
    [InlineData(-11)]
    public void A_creation_time_more_than_ten_minutes_off_is_refused(int minutes)
    {
        Refused(Prepare(Key, Now.AddMinutes(minutes))).ShouldContain("more than 10 minutes from the signer's clock");
    }

    [Fact]
    public void An_extra_hashed_subpacket_is_refused()
    {
        OpenPgpPreparedSignature prepared = Prepare(Key, Now);
        byte[] exportable = [2, 4, 0]; // a hashed "exportable certification" subpacket, which the service never agreed to
        byte[] area = [.. prepared.HashedArea, .. exportable];
        BinaryPrimitives.WriteUInt16BigEndian(area.AsSpan(4), (ushort)(area.Length - 6));

        Refused(prepared with { HashedArea = area }).ShouldContain("subpacket type 4");
    }

    [Fact]
    public void A_hashed_area_that_includes_the_length_trailer_is_refused_with_a_hint()
    {
        OpenPgpPreparedSignature prepared = Prepare(Key, Now);
        byte[] area = [.. prepared.HashedArea, 0x04, 0xFF, 0, 0, 0, (byte)prepared.HashedArea.Length];

        Refused(prepared with { HashedArea = area }).ShouldContain("without the 0x04 0xFF length trailer");
    }

    [Fact]
    public void A_hash_algorithm_that_disagrees_with_the_hashed_area_or_digest_is_refused()
    {
        OpenPgpPreparedSignature prepared = Prepare(Key, Now);

        Refused(prepared with { Hash = OpenPgpHashAlgorithm.Sha512 }).ShouldContain("both must agree");
        Refused(prepared with { Digest = prepared.Digest[..20] }).ShouldContain("digest is 20 bytes");
    }

    [Fact]
    public void An_expired_key_and_a_key_from_the_future_refuse_to_sign()
    {
        OpenPgpPreparedSignature late = Prepare(Key, TestKeys.ExpiresAt.AddDays(1));
        OpenPgpPreparedSignature early = Prepare(Key, TestKeys.CreatedAt.AddDays(-1));

        Should.Throw<OpenPgpRequestException>(() => Signer.SignPrepared(late, TestKeys.ExpiresAt.AddDays(1))).Message.ShouldContain("expired");
        Should.Throw<OpenPgpRequestException>(() => Signer.SignPrepared(early, TestKeys.CreatedAt.AddDays(-1))).Message.ShouldContain("check the signer's clock");
    }

    [Fact]
    public void A_disposed_key_no_longer_signs()
    {
        var key = OpenPgpPrivateKey.Load(TestKeys.SecondMaterial(OpenPgpAlgorithm.Ed25519).SecretKey);
        key.Dispose();

        Should.Throw<ObjectDisposedException>(() => key.SignMessage("x"u8, Now));
    }

    private static byte[] Data => "the artifact"u8.ToArray();

    private static OpenPgpPreparedSignature Prepare(OpenPgpPublicKeyInfo key, DateTimeOffset at) =>
        OpenPgpDetachedSignature.Prepare(key, new MemoryStream(Data), at, HashAlgorithmName.SHA256);

    private static string Refused(OpenPgpPreparedSignature prepared) =>
        Should.Throw<OpenPgpRequestException>(() => Signer.SignPrepared(prepared, Now)).Message;
}

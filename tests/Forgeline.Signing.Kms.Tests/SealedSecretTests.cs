using System.Buffers.Binary;
using System.Text;

namespace Forgeline.Signing.Kms.Tests;

public sealed class SealedSecretTests
{
    private static readonly SealedSecret Sample = new("file", "0123456789abcdef", [1, 2, 3, 4, 5], [9, 8, 7, 6]);

    [Fact]
    public void Round_trips_every_field()
    {
        var restored = SealedSecret.FromBytes(Sample.ToBytes());

        restored.Provider.ShouldBe(Sample.Provider);
        restored.KekId.ShouldBe(Sample.KekId);
        restored.WrappedDataKey.ShouldBe(Sample.WrappedDataKey);
        restored.Ciphertext.ShouldBe(Sample.Ciphertext);
    }

    [Fact]
    public void Starts_with_a_magic_and_a_version_so_clear_keys_are_told_apart()
    {
        Sample.ToBytes()[..5].ShouldBe([.. "FLSS"u8, 1]);

        Should.Throw<KeySealingException>(() => SealedSecret.FromBytes(Encoding.ASCII.GetBytes("-----BEGIN PGP PRIVATE KEY BLOCK-----")))
            .Message.ShouldContain("not a Forgeline sealed key");
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        var bytes = Sample.ToBytes();
        bytes[4] = 2;

        Should.Throw<KeySealingException>(() => SealedSecret.FromBytes(bytes)).Message.ShouldContain("format version 2");
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = Sample.ToBytes();

        for (var length = 0; length < bytes.Length; length++)
        {
            Should.Throw<KeySealingException>(() => SealedSecret.FromBytes(bytes[..length]), $"length {length}");
        }
    }

    [Fact]
    public void A_length_pointing_past_the_end_or_trailing_bytes_are_refused()
    {
        var bytes = Sample.ToBytes();
        var tooLong = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32BigEndian(tooLong.AsSpan(bytes.Length - Sample.Ciphertext.Length - 4), int.MaxValue);

        Should.Throw<KeySealingException>(() => SealedSecret.FromBytes(tooLong)).Message.ShouldContain("truncated");
        Should.Throw<KeySealingException>(() => SealedSecret.FromBytes([.. bytes, 0])).Message.ShouldContain("unexpected bytes");
    }
}

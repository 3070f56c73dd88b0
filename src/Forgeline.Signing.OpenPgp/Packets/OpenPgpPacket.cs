namespace Forgeline.Signing.OpenPgp.Packets;

/// <summary>One OpenPGP packet: its tag (RFC 4880 section 4.3) and body.</summary>
internal readonly record struct OpenPgpPacket(int Tag, byte[] Body)
{
    /// <summary>Signature packet.</summary>
    public const int Signature = 2;

    /// <summary>One-pass signature packet.</summary>
    public const int OnePassSignature = 4;

    /// <summary>Secret key packet.</summary>
    public const int SecretKey = 5;

    /// <summary>Public key packet.</summary>
    public const int PublicKey = 6;

    /// <summary>Secret subkey packet.</summary>
    public const int SecretSubkey = 7;

    /// <summary>Marker packet (ignored).</summary>
    public const int Marker = 10;

    /// <summary>Literal data packet.</summary>
    public const int LiteralData = 11;

    /// <summary>Trust packet (keyring-local, ignored).</summary>
    public const int Trust = 12;

    /// <summary>User ID packet.</summary>
    public const int UserId = 13;

    /// <summary>Public subkey packet.</summary>
    public const int PublicSubkey = 14;

    /// <summary>User attribute packet (photo IDs).</summary>
    public const int UserAttribute = 17;

    /// <summary>The packet with header, in the old format gpg itself writes.</summary>
    public byte[] Encode() => OpenPgpPacketWriter.Encode(Tag, Body);
}

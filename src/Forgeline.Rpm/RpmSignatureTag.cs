namespace Forgeline.Rpm;

/// <summary>Tag numbers of the RPM signature header (rpm's RPMSIGTAG_* constants; some collide with <see cref="RpmTag"/> values).</summary>
public static class RpmSignatureTag
{
    /// <summary>DSA signature over the main header (267).</summary>
    public const int Dsa = 267;

    /// <summary>RSA signature over the main header (268).</summary>
    public const int Rsa = 268;

    /// <summary>SHA-1 hex digest of the main header (269).</summary>
    public const int Sha1 = 269;

    /// <summary>Size of main header plus payload, 64-bit (270).</summary>
    public const int LongSize = 270;

    /// <summary>Uncompressed payload size, 64-bit (271).</summary>
    public const int LongArchiveSize = 271;

    /// <summary>SHA-256 hex digest of the main header (273).</summary>
    public const int Sha256 = 273;

    /// <summary>IMA signatures of the packaged files (274).</summary>
    public const int FileSignatures = 274;

    /// <summary>Length of each file signature (275).</summary>
    public const int FileSignatureLength = 275;

    /// <summary>fs-verity signatures of the packaged files (276).</summary>
    public const int VeritySignatures = 276;

    /// <summary>Algorithm of the fs-verity signatures (277).</summary>
    public const int VeritySignatureAlgo = 277;

    /// <summary>Size of main header plus payload, 32-bit (1000).</summary>
    public const int Size = 1000;

    /// <summary>PGP (RSA) signature over main header plus payload (1002).</summary>
    public const int Pgp = 1002;

    /// <summary>MD5 digest of main header plus payload (1004).</summary>
    public const int Md5 = 1004;

    /// <summary>GPG (DSA) signature over main header plus payload (1005).</summary>
    public const int Gpg = 1005;

    /// <summary>Uncompressed payload size, 32-bit (1007).</summary>
    public const int PayloadSize = 1007;

    /// <summary>Zero bytes reserved so that signing does not change the header size (1008).</summary>
    public const int ReservedSpace = 1008;
}

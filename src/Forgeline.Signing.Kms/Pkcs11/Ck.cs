namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>The PKCS#11 constants this layer uses (values from the OASIS PKCS#11 v2.40 headers).</summary>
internal static class Ck
{
    public const nuint True = 1;

    // Initialisation and sessions.
    public const nuint OsLockingOk = 0x2;
    public const nuint RwSession = 0x2;
    public const nuint SerialSession = 0x4;
    public const nuint UserTypeUser = 1;
    public const nuint TokenInitialized = 0x400;

    // Object classes, key types, mechanisms.
    public const nuint SecretKeyClass = 0x4;
    public const nuint AesKeyType = 0x1F;
    public const nuint AesKeyGen = 0x1080;
    public const nuint AesGcm = 0x1087;

    // Attributes.
    public const nuint Class = 0x0;
    public const nuint Token = 0x1;
    public const nuint Private = 0x2;
    public const nuint Label = 0x3;
    public const nuint KeyType = 0x100;
    public const nuint Id = 0x102;
    public const nuint Sensitive = 0x103;
    public const nuint Encrypt = 0x104;
    public const nuint Decrypt = 0x105;
    public const nuint Wrap = 0x106;
    public const nuint Unwrap = 0x107;
    public const nuint Sign = 0x108;
    public const nuint Verify = 0x10A;
    public const nuint ValueLength = 0x161;
    public const nuint Extractable = 0x162;

    /// <summary>CK_UNAVAILABLE_INFORMATION: the attribute's length when it cannot be revealed.</summary>
    public static readonly nuint UnavailableInformation = nuint.MaxValue;
}

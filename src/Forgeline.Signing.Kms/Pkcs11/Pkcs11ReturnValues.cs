namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>Names of CK_RV values, and what a user can do about the common ones.</summary>
internal static class Pkcs11ReturnValues
{
    public const nuint Ok = 0x0;
    public const nuint GeneralError = 0x5;
    public const nuint AttributeTypeInvalid = 0x12;
    public const nuint EncryptedDataInvalid = 0x40;
    public const nuint EncryptedDataLengthRange = 0x41;
    public const nuint UserAlreadyLoggedIn = 0x100;
    public const nuint BufferTooSmall = 0x150;
    public const nuint CryptokiAlreadyInitialized = 0x191;

    private static readonly Dictionary<nuint, string> Names = new()
    {
        [0x0] = "CKR_OK", [0x1] = "CKR_CANCEL", [0x2] = "CKR_HOST_MEMORY", [0x3] = "CKR_SLOT_ID_INVALID",
        [0x5] = "CKR_GENERAL_ERROR", [0x6] = "CKR_FUNCTION_FAILED", [0x7] = "CKR_ARGUMENTS_BAD", [0x8] = "CKR_NO_EVENT",
        [0x9] = "CKR_NEED_TO_CREATE_THREADS", [0xA] = "CKR_CANT_LOCK", [0x10] = "CKR_ATTRIBUTE_READ_ONLY",
        [0x11] = "CKR_ATTRIBUTE_SENSITIVE", [0x12] = "CKR_ATTRIBUTE_TYPE_INVALID", [0x13] = "CKR_ATTRIBUTE_VALUE_INVALID",
        [0x1B] = "CKR_ACTION_PROHIBITED", [0x20] = "CKR_DATA_INVALID", [0x21] = "CKR_DATA_LEN_RANGE", [0x30] = "CKR_DEVICE_ERROR",
        [0x31] = "CKR_DEVICE_MEMORY", [0x32] = "CKR_DEVICE_REMOVED", [0x40] = "CKR_ENCRYPTED_DATA_INVALID",
        [0x41] = "CKR_ENCRYPTED_DATA_LEN_RANGE", [0x50] = "CKR_FUNCTION_CANCELED", [0x51] = "CKR_FUNCTION_NOT_PARALLEL",
        [0x54] = "CKR_FUNCTION_NOT_SUPPORTED", [0x60] = "CKR_KEY_HANDLE_INVALID", [0x62] = "CKR_KEY_SIZE_RANGE",
        [0x63] = "CKR_KEY_TYPE_INCONSISTENT", [0x68] = "CKR_KEY_FUNCTION_NOT_PERMITTED", [0x6A] = "CKR_KEY_UNEXTRACTABLE",
        [0x70] = "CKR_MECHANISM_INVALID", [0x71] = "CKR_MECHANISM_PARAM_INVALID", [0x82] = "CKR_OBJECT_HANDLE_INVALID",
        [0x90] = "CKR_OPERATION_ACTIVE", [0x91] = "CKR_OPERATION_NOT_INITIALIZED", [0xA0] = "CKR_PIN_INCORRECT",
        [0xA1] = "CKR_PIN_INVALID", [0xA2] = "CKR_PIN_LEN_RANGE", [0xA3] = "CKR_PIN_EXPIRED", [0xA4] = "CKR_PIN_LOCKED",
        [0xB0] = "CKR_SESSION_CLOSED", [0xB1] = "CKR_SESSION_COUNT", [0xB3] = "CKR_SESSION_HANDLE_INVALID",
        [0xB4] = "CKR_SESSION_PARALLEL_NOT_SUPPORTED", [0xB5] = "CKR_SESSION_READ_ONLY", [0xB6] = "CKR_SESSION_EXISTS",
        [0xB7] = "CKR_SESSION_READ_ONLY_EXISTS", [0xB8] = "CKR_SESSION_READ_WRITE_SO_EXISTS", [0xD0] = "CKR_TEMPLATE_INCOMPLETE",
        [0xD1] = "CKR_TEMPLATE_INCONSISTENT", [0xE0] = "CKR_TOKEN_NOT_PRESENT", [0xE1] = "CKR_TOKEN_NOT_RECOGNIZED",
        [0xE2] = "CKR_TOKEN_WRITE_PROTECTED", [0x100] = "CKR_USER_ALREADY_LOGGED_IN", [0x101] = "CKR_USER_NOT_LOGGED_IN",
        [0x102] = "CKR_USER_PIN_NOT_INITIALIZED", [0x103] = "CKR_USER_TYPE_INVALID", [0x104] = "CKR_USER_ANOTHER_ALREADY_LOGGED_IN",
        [0x105] = "CKR_USER_TOO_MANY_TYPES", [0x120] = "CKR_RANDOM_SEED_NOT_SUPPORTED", [0x121] = "CKR_RANDOM_NO_RNG",
        [0x150] = "CKR_BUFFER_TOO_SMALL", [0x170] = "CKR_INFORMATION_SENSITIVE", [0x190] = "CKR_CRYPTOKI_NOT_INITIALIZED",
        [0x191] = "CKR_CRYPTOKI_ALREADY_INITIALIZED", [0x1A0] = "CKR_MUTEX_BAD", [0x1A1] = "CKR_MUTEX_NOT_LOCKED",
        [0x200] = "CKR_FUNCTION_REJECTED",
    };

    /// <summary>The CKR_* name of <paramref name="rv"/>, or its hex value when unknown or vendor-defined.</summary>
    public static string Name(nuint rv) => Names.TryGetValue(rv, out var name) ? name : $"CKR_0x{(ulong)rv:X}";

    /// <summary>Throws a <see cref="KeySealingException"/> naming <paramref name="function"/> and the CKR unless <paramref name="rv"/> is CKR_OK.</summary>
    public static void ThrowIfFailed(nuint rv, string function)
    {
        if (rv != Ok)
        {
            throw Failure(rv, function);
        }
    }

    /// <summary>The exception for a failed call.</summary>
    public static KeySealingException Failure(nuint rv, string function, string? hint = null)
    {
        var name = Name(rv);
        return new KeySealingException($"PKCS#11: {function} failed with {name}; {hint ?? Hint(rv)}") { Pkcs11ReturnValue = name };
    }

    private static string Hint(nuint rv) => rv switch
    {
        0xA0 => $"check the PIN ({KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Pin)})",
        0xA1 or 0xA2 => $"the PIN has the wrong form or length for this token ({KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Pin)})",
        0xA3 => "the user PIN has expired: set a new one on the token",
        0xA4 => "the user PIN is locked after too many wrong attempts: unblock it with the security officer PIN",
        0x102 => "the token's user PIN is not initialised: initialise it (softhsm2-util --init-token, or your HSM's tool)",
        0xE0 or 0x32 => "the token is not present: check that the HSM is connected and the token exists",
        0xE2 => "the token is write-protected, so the key-encryption key cannot be created on it",
        0x30 or 0x31 => "the HSM reported a device error: check its health and logs",
        0xB1 => "the HSM has no free sessions: close other applications using it",
        _ => "see the HSM's log for details",
    };
}

namespace Forgeline.Signing.Kms;

/// <summary>Sealing or unsealing a key failed; the message says what is wrong and what to do about it.</summary>
public sealed class KeySealingException : Exception
{
    /// <summary>Creates one with a generic message.</summary>
    public KeySealingException()
        : base("sealing or unsealing a key failed")
    {
    }

    /// <summary>Creates one with <paramref name="message"/>.</summary>
    public KeySealingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one with <paramref name="message"/> caused by <paramref name="innerException"/>.</summary>
    public KeySealingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The PKCS#11 return value's name (such as <c>CKR_PIN_INCORRECT</c>) when a PKCS#11 call failed; otherwise null.</summary>
    public string? Pkcs11ReturnValue { get; init; }

    /// <summary>The message for a sealed key whose authentication failed.</summary>
    internal static KeySealingException Modified(string detail) =>
        new($"the sealed key was modified (authentication failed): {detail}");
}

using System.Security.Cryptography;

namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>One read-write session on a token. Not thread-safe: its owner serialises the calls.</summary>
internal sealed unsafe class Pkcs11Session
{
    private const int GcmTagBits = 128;

    private readonly Pkcs11Functions functions;

    private Pkcs11Session(Pkcs11Library library, nuint slot, nuint handle)
    {
        Library = library;
        Slot = slot;
        Handle = handle;
        functions = library.Functions;
    }

    /// <summary>The module.</summary>
    public Pkcs11Library Library { get; }

    /// <summary>The token's slot.</summary>
    public nuint Slot { get; }

    /// <summary>The CK_SESSION_HANDLE.</summary>
    public nuint Handle { get; }

    /// <summary>Opens a read-write session on <paramref name="slot"/>.</summary>
    public static Pkcs11Session Open(Pkcs11Library library, nuint slot)
    {
        nuint handle;
        Pkcs11ReturnValues.ThrowIfFailed(library.Functions.OpenSession(slot, Ck.SerialSession | Ck.RwSession, null, null, &handle), "C_OpenSession");
        return new Pkcs11Session(library, slot, handle);
    }

    /// <summary>Closes the session.</summary>
    public void Close() => functions.CloseSession(Handle);

    /// <summary>The handles of the secret keys labelled <paramref name="label"/>.</summary>
    public List<nuint> FindSecretKeys(string label)
    {
        using var template = new Pkcs11Template().Add(Ck.Class, Ck.SecretKeyClass).Add(Ck.Label, label);
        Pkcs11ReturnValues.ThrowIfFailed(functions.FindObjectsInit(Handle, template.Pointer, template.Count), "C_FindObjectsInit");
        var found = new List<nuint>();
        try
        {
            var batch = stackalloc nuint[16];
            while (true)
            {
                nuint count;
                Pkcs11ReturnValues.ThrowIfFailed(functions.FindObjects(Handle, batch, 16, &count), "C_FindObjects");
                if (count == 0)
                {
                    return found;
                }

                found.AddRange(new ReadOnlySpan<nuint>(batch, (int)count));
            }
        }
        finally
        {
            functions.FindObjectsFinal(Handle);
        }
    }

    /// <summary>Generates a 256-bit AES key on the token: persistent, private, sensitive, never extractable, for encrypt and decrypt only.</summary>
    public nuint GenerateAesKey(string label, byte[] id)
    {
        using var template = new Pkcs11Template()
            .Add(Ck.Class, Ck.SecretKeyClass).Add(Ck.KeyType, Ck.AesKeyType).Add(Ck.ValueLength, (nuint)32)
            .Add(Ck.Label, label).Add(Ck.Id, id)
            .Add(Ck.Token, true).Add(Ck.Private, true).Add(Ck.Sensitive, true).Add(Ck.Extractable, false)
            .Add(Ck.Encrypt, true).Add(Ck.Decrypt, true)
            .Add(Ck.Wrap, false).Add(Ck.Unwrap, false).Add(Ck.Sign, false).Add(Ck.Verify, false);
        var mechanism = new CkMechanism { Mechanism = Ck.AesKeyGen };
        nuint key;
        Pkcs11ReturnValues.ThrowIfFailed(functions.GenerateKey(Handle, &mechanism, template.Pointer, template.Count, &key), "C_GenerateKey");
        return key;
    }

    /// <summary>The value of attribute <paramref name="type"/> of <paramref name="handle"/>, or null when the object has none.</summary>
    public byte[]? GetAttribute(nuint handle, nuint type)
    {
        var attribute = new CkAttribute { Type = type };
        var rv = functions.GetAttributeValue(Handle, handle, &attribute, 1);
        if (rv == Pkcs11ReturnValues.AttributeTypeInvalid || attribute.ValueLength == Ck.UnavailableInformation)
        {
            return null;
        }

        Pkcs11ReturnValues.ThrowIfFailed(rv, "C_GetAttributeValue");
        var value = new byte[attribute.ValueLength];
        fixed (byte* pointer = value)
        {
            attribute.Value = pointer;
            Pkcs11ReturnValues.ThrowIfFailed(functions.GetAttributeValue(Handle, handle, &attribute, 1), "C_GetAttributeValue");
        }

        return value.AsSpan(0, (int)attribute.ValueLength).ToArray();
    }

    /// <summary>CKM_AES_GCM encryption with a 128-bit tag; returns ciphertext ‖ tag.</summary>
    public byte[] EncryptGcm(nuint key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + (GcmTagBits / 8)];
        var length = (nuint)output.Length;
        fixed (byte* ivPointer = iv, aadPointer = aad, input = plaintext, result = output)
        {
            var parameters = GcmParameters(ivPointer, iv.Length, aadPointer, aad.Length);
            var mechanism = new CkMechanism { Mechanism = Ck.AesGcm, Parameter = &parameters, ParameterLength = (nuint)sizeof(CkGcmParams) };
            Pkcs11ReturnValues.ThrowIfFailed(functions.EncryptInit(Handle, &mechanism, key), "C_EncryptInit");
            Pkcs11ReturnValues.ThrowIfFailed(functions.Encrypt(Handle, input, (nuint)plaintext.Length, result, &length), "C_Encrypt");
        }

        return length == (nuint)output.Length ? output : output.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>CKM_AES_GCM decryption of ciphertext ‖ tag; the call's CK_RV is returned so the caller can tell tampering from faults.</summary>
    public nuint DecryptGcm(nuint key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        var output = new byte[ciphertext.Length];
        var length = (nuint)output.Length;
        nuint rv;
        fixed (byte* ivPointer = iv, aadPointer = aad, input = ciphertext, result = output)
        {
            var parameters = GcmParameters(ivPointer, iv.Length, aadPointer, aad.Length);
            var mechanism = new CkMechanism { Mechanism = Ck.AesGcm, Parameter = &parameters, ParameterLength = (nuint)sizeof(CkGcmParams) };
            Pkcs11ReturnValues.ThrowIfFailed(functions.DecryptInit(Handle, &mechanism, key), "C_DecryptInit");
            rv = functions.Decrypt(Handle, input, (nuint)ciphertext.Length, result, &length);
        }

        if (rv != Pkcs11ReturnValues.Ok)
        {
            CryptographicOperations.ZeroMemory(output);
            plaintext = [];
            return rv;
        }

        plaintext = output.AsSpan(0, (int)length).ToArray();
        CryptographicOperations.ZeroMemory(output);
        return rv;
    }

    private static CkGcmParams GcmParameters(byte* iv, int ivLength, byte* aad, int aadLength) => new()
    {
        Iv = iv,
        IvLength = (nuint)ivLength,
        IvBits = (nuint)ivLength * 8,
        Aad = aad,
        AadLength = (nuint)aadLength,
        TagBits = GcmTagBits,
    };
}

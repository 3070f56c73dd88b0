using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>
/// A loaded PKCS#11 module, shared by everything in the process: C_Initialize and C_Finalize are per process, and so is a
/// token's login state, so both are reference-counted here. The module is initialised by the first user and finalised
/// when the last one leaves (unless someone else in the process had initialised it first).
/// </summary>
internal sealed unsafe class Pkcs11Library
{
    private static readonly Lock RegistryGate = new();
    private static readonly Dictionary<string, Pkcs11Library> Loaded = new(StringComparer.Ordinal);

    private readonly Lock loginGate = new();
    private readonly Dictionary<nuint, TokenLogin> logins = [];
    private int users;
    private bool initializedHere;

    private Pkcs11Library(string path, Pkcs11Functions functions)
    {
        Path = path;
        Functions = functions;
    }

    /// <summary>The module's path.</summary>
    public string Path { get; }

    /// <summary>Its function table.</summary>
    public Pkcs11Functions Functions { get; }

    /// <summary>Loads and initialises the module at <paramref name="path"/> (once per process); pair with <see cref="Release"/>.</summary>
    public static Pkcs11Library Acquire(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        lock (RegistryGate)
        {
            if (!Loaded.TryGetValue(fullPath, out var library))
            {
                library = new Pkcs11Library(fullPath, LoadFunctions(fullPath));
                Loaded[fullPath] = library;
            }

            if (library.users == 0)
            {
                var args = new CkInitializeArgs { Flags = Ck.OsLockingOk };
                var rv = library.Functions.Initialize(&args);
                if (rv != Pkcs11ReturnValues.CryptokiAlreadyInitialized)
                {
                    Pkcs11ReturnValues.ThrowIfFailed(rv, "C_Initialize");
                }

                library.initializedHere = rv == Pkcs11ReturnValues.Ok;
            }

            library.users++;
            return library;
        }
    }

    /// <summary>Gives back what <see cref="Acquire"/> took; the last user finalises the module.</summary>
    public void Release()
    {
        lock (RegistryGate)
        {
            if (--users == 0 && initializedHere)
            {
                initializedHere = false;
                lock (loginGate)
                {
                    logins.Clear();
                }

                Functions.Finalize(null);
            }
        }
    }

    /// <summary>The slot of the initialised token labelled <paramref name="tokenLabel"/>.</summary>
    public nuint FindSlot(string tokenLabel)
    {
        nuint count = 0;
        Pkcs11ReturnValues.ThrowIfFailed(Functions.GetSlotList(1, null, &count), "C_GetSlotList");
        var slots = new nuint[count];
        fixed (nuint* pointer = slots)
        {
            Pkcs11ReturnValues.ThrowIfFailed(Functions.GetSlotList(1, pointer, &count), "C_GetSlotList");
        }

        var labels = new List<string>();
        var matches = new List<nuint>();
        foreach (var slot in slots.AsSpan(0, (int)count))
        {
            CkTokenInfo info;
            if (Functions.GetTokenInfo(slot, &info) != Pkcs11ReturnValues.Ok || (info.Flags & Ck.TokenInitialized) == 0)
            {
                continue;
            }

            // The label is 32 bytes of UTF-8 padded with spaces, without a terminating NUL.
            var label = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(info.Label, 32)).TrimEnd(' ', '\0');
            labels.Add($"'{label}'");
            if (label == tokenLabel)
            {
                matches.Add(slot);
            }
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new KeySealingException(
                $"PKCS#11: no initialised token labelled '{tokenLabel}' in {Path} (tokens present: {(labels.Count == 0 ? "none" : string.Join(", ", labels))}); " +
                $"check {KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Token)}, or initialise the token (softhsm2-util --init-token --free --label {tokenLabel})")
            {
                Pkcs11ReturnValue = "CKR_TOKEN_NOT_PRESENT",
            },
            _ => throw new KeySealingException($"PKCS#11: {matches.Count} tokens in {Path} are labelled '{tokenLabel}'; give each token a unique label"),
        };
    }

    /// <summary>
    /// Logs <paramref name="session"/>'s token in as the user. Login state is per token and process, so when the token is
    /// already logged in here the PIN is compared with the one that logged it in, and a different PIN is still refused.
    /// </summary>
    public void Login(nuint session, nuint slot, string pin)
    {
        var pinBytes = Encoding.UTF8.GetBytes(pin);
        var pinHash = SHA256.HashData(pinBytes);
        lock (loginGate)
        {
            nuint rv;
            fixed (byte* pointer = pinBytes)
            {
                rv = Functions.Login(session, Ck.UserTypeUser, pointer, (nuint)pinBytes.Length);
            }

            CryptographicOperations.ZeroMemory(pinBytes);
            if (rv == Pkcs11ReturnValues.Ok)
            {
                logins[slot] = new TokenLogin(pinHash, External: false) { Users = 1 };
            }
            else if (rv == Pkcs11ReturnValues.UserAlreadyLoggedIn)
            {
                if (!logins.TryGetValue(slot, out var login))
                {
                    // Someone else in this process logged the token in; the PIN cannot be checked, and logging out is theirs to do.
                    logins[slot] = new TokenLogin(pinHash, External: true) { Users = 1 };
                }
                else if (!CryptographicOperations.FixedTimeEquals(login.PinHash, pinHash))
                {
                    throw Pkcs11ReturnValues.Failure(0xA0, "C_Login", $"check the PIN ({KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Pin)}); it differs from the PIN that already logged this token in");
                }
                else
                {
                    login.Users++;
                }
            }
            else
            {
                throw Pkcs11ReturnValues.Failure(rv, "C_Login");
            }
        }
    }

    /// <summary>Undoes one <see cref="Login"/>; the last one logs the token out.</summary>
    public void Logout(nuint session, nuint slot)
    {
        lock (loginGate)
        {
            if (logins.TryGetValue(slot, out var login) && --login.Users == 0)
            {
                logins.Remove(slot);
                if (!login.External)
                {
                    Functions.Logout(session);
                }
            }
        }
    }

    private static Pkcs11Functions LoadFunctions(string path)
    {
        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new KeySealingException(
                $"PKCS#11: cannot load the module {path}: {e.Message}; check {KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Library)} (for SoftHSM: apt-get install softhsm2)", e);
        }

        if (!NativeLibrary.TryGetExport(handle, "C_GetFunctionList", out var export))
        {
            throw new KeySealingException($"PKCS#11: {path} has no C_GetFunctionList, so it is not a PKCS#11 module; check {KmsOptions.Section}:{nameof(KmsOptions.Pkcs11Library)}");
        }

        void* list = null;
        Pkcs11ReturnValues.ThrowIfFailed(((delegate* unmanaged<void**, nuint>)export)(&list), "C_GetFunctionList");
        return new Pkcs11Functions(list);
    }

    private sealed record TokenLogin(byte[] PinHash, bool External)
    {
        public int Users { get; set; }
    }
}

namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>
/// The entries of a module's CK_FUNCTION_LIST that this layer calls. The list is a CK_VERSION (2 bytes, padded to pointer
/// alignment) followed by function pointers in the order of the PKCS#11 v2 headers; index i lives at pointer slot i + 1.
/// </summary>
internal sealed unsafe class Pkcs11Functions
{
    public readonly delegate* unmanaged<CkInitializeArgs*, nuint> Initialize;
    public readonly delegate* unmanaged<void*, nuint> Finalize;
    public readonly delegate* unmanaged<byte, nuint*, nuint*, nuint> GetSlotList;
    public readonly delegate* unmanaged<nuint, CkTokenInfo*, nuint> GetTokenInfo;
    public readonly delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint> OpenSession;
    public readonly delegate* unmanaged<nuint, nuint> CloseSession;
    public readonly delegate* unmanaged<nuint, nuint, byte*, nuint, nuint> Login;
    public readonly delegate* unmanaged<nuint, nuint> Logout;
    public readonly delegate* unmanaged<nuint, nuint, CkAttribute*, nuint, nuint> GetAttributeValue;
    public readonly delegate* unmanaged<nuint, CkAttribute*, nuint, nuint> FindObjectsInit;
    public readonly delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint> FindObjects;
    public readonly delegate* unmanaged<nuint, nuint> FindObjectsFinal;
    public readonly delegate* unmanaged<nuint, CkMechanism*, nuint, nuint> EncryptInit;
    public readonly delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint> Encrypt;
    public readonly delegate* unmanaged<nuint, CkMechanism*, nuint, nuint> DecryptInit;
    public readonly delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint> Decrypt;
    public readonly delegate* unmanaged<nuint, CkMechanism*, CkAttribute*, nuint, nuint*, nuint> GenerateKey;

    /// <summary>Reads the pointers from the CK_FUNCTION_LIST at <paramref name="functionList"/>.</summary>
    public Pkcs11Functions(void* functionList)
    {
        var entries = (void**)functionList + 1;
        Initialize = (delegate* unmanaged<CkInitializeArgs*, nuint>)entries[0];
        Finalize = (delegate* unmanaged<void*, nuint>)entries[1];
        GetSlotList = (delegate* unmanaged<byte, nuint*, nuint*, nuint>)entries[4];
        GetTokenInfo = (delegate* unmanaged<nuint, CkTokenInfo*, nuint>)entries[6];
        OpenSession = (delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint>)entries[12];
        CloseSession = (delegate* unmanaged<nuint, nuint>)entries[13];
        Login = (delegate* unmanaged<nuint, nuint, byte*, nuint, nuint>)entries[18];
        Logout = (delegate* unmanaged<nuint, nuint>)entries[19];
        GetAttributeValue = (delegate* unmanaged<nuint, nuint, CkAttribute*, nuint, nuint>)entries[24];
        FindObjectsInit = (delegate* unmanaged<nuint, CkAttribute*, nuint, nuint>)entries[26];
        FindObjects = (delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint>)entries[27];
        FindObjectsFinal = (delegate* unmanaged<nuint, nuint>)entries[28];
        EncryptInit = (delegate* unmanaged<nuint, CkMechanism*, nuint, nuint>)entries[29];
        Encrypt = (delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint>)entries[30];
        DecryptInit = (delegate* unmanaged<nuint, CkMechanism*, nuint, nuint>)entries[33];
        Decrypt = (delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint>)entries[34];
        GenerateKey = (delegate* unmanaged<nuint, CkMechanism*, CkAttribute*, nuint, nuint*, nuint>)entries[58];
    }
}

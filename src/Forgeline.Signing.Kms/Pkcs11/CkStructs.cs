using System.Runtime.InteropServices;

namespace Forgeline.Signing.Kms.Pkcs11;

// The CK_* structures as PKCS#11 modules on Linux lay them out: natural alignment (no #pragma pack(1), which is Windows only),
// CK_ULONG = C unsigned long = nuint on every Linux ABI, CK_BBOOL and CK_BYTE = 1 byte.

/// <summary>CK_ATTRIBUTE.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkAttribute
{
    public nuint Type;
    public void* Value;
    public nuint ValueLength;
}

/// <summary>CK_MECHANISM.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkMechanism
{
    public nuint Mechanism;
    public void* Parameter;
    public nuint ParameterLength;
}

/// <summary>CK_GCM_PARAMS as in PKCS#11 v2.40 (with ulIvBits), which SoftHSM 2.6 checks by size.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkGcmParams
{
    public byte* Iv;
    public nuint IvLength;
    public nuint IvBits;
    public byte* Aad;
    public nuint AadLength;
    public nuint TagBits;
}

/// <summary>CK_C_INITIALIZE_ARGS.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkInitializeArgs
{
    public void* CreateMutex;
    public void* DestroyMutex;
    public void* LockMutex;
    public void* UnlockMutex;
    public nuint Flags;
    public void* Reserved;
}

/// <summary>CK_TOKEN_INFO; only the label and flags are read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CkTokenInfo
{
    public fixed byte Label[32];
    public fixed byte ManufacturerId[32];
    public fixed byte Model[16];
    public fixed byte SerialNumber[16];
    public nuint Flags;
    public nuint MaxSessionCount;
    public nuint SessionCount;
    public nuint MaxRwSessionCount;
    public nuint RwSessionCount;
    public nuint MaxPinLength;
    public nuint MinPinLength;
    public nuint TotalPublicMemory;
    public nuint FreePublicMemory;
    public nuint TotalPrivateMemory;
    public nuint FreePrivateMemory;
    public fixed byte Versions[4];
    public fixed byte UtcTime[16];
}

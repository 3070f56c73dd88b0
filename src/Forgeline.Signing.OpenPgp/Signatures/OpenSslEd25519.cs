using System.Runtime.InteropServices;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>
/// Ed25519 through the system's OpenSSL 3 (libcrypto.so.3, which .NET itself uses for RSA): about three times faster than
/// BouncyCastle's managed code, which was the largest part of the signer's time per RPM header. Ed25519 is deterministic,
/// so both give the same signature; when libcrypto cannot be loaded, <see cref="TryCreate"/> returns null and BouncyCastle signs.
/// </summary>
/// <remarks>The private key lives inside OpenSSL's memory (freed and cleared with <c>EVP_PKEY_free</c>); one key object is
/// shared by every thread, each signature uses its own context, which OpenSSL 3 allows.</remarks>
internal sealed unsafe class OpenSslEd25519 : IDisposable
{
    private const int NidEd25519 = 1087;
    private static readonly Functions? Library = Functions.Load();
    private nint key;

    private OpenSslEd25519(nint key) => this.key = key;

    /// <summary>A signer for the 32-byte <paramref name="seed"/>, or null when OpenSSL 3 is not available.</summary>
    public static OpenSslEd25519? TryCreate(ReadOnlySpan<byte> seed)
    {
        if (Library is not { } f)
        {
            return null;
        }

        fixed (byte* s = seed)
        {
            var key = f.NewRawPrivateKey(NidEd25519, 0, s, (nuint)seed.Length);
            return key == 0 ? null : new OpenSslEd25519(key);
        }
    }

    /// <summary>The 64-byte signature (R ‖ S) of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(key == 0, this);
        var f = Library!;
        var context = f.NewContext();
        if (context == 0)
        {
            throw new InvalidOperationException("OpenSSL could not allocate a signing context");
        }

        try
        {
            var signature = new byte[64];
            nuint length = 64;
            fixed (byte* m = message)
            fixed (byte* s = signature)
            {
                if (f.DigestSignInit(context, 0, 0, 0, key) != 1 || f.DigestSign(context, s, &length, m, (nuint)message.Length) != 1 || length != 64)
                {
                    throw new InvalidOperationException("OpenSSL refused to make an Ed25519 signature");
                }
            }

            return signature;
        }
        finally
        {
            f.FreeContext(context);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var k = Interlocked.Exchange(ref key, 0);
        if (k != 0)
        {
            Library!.FreeKey(k);
        }
    }

    private sealed class Functions
    {
        public delegate* unmanaged<int, nint, byte*, nuint, nint> NewRawPrivateKey;
        public delegate* unmanaged<nint, void> FreeKey;
        public delegate* unmanaged<nint> NewContext;
        public delegate* unmanaged<nint, void> FreeContext;
        public delegate* unmanaged<nint, nint, nint, nint, nint, int> DigestSignInit;
        public delegate* unmanaged<nint, byte*, nuint*, byte*, nuint, int> DigestSign;

        public static Functions? Load()
        {
            if (!NativeLibrary.TryLoad("libcrypto.so.3", out var handle))
            {
                return null;
            }

            var f = new Functions();
            if (!NativeLibrary.TryGetExport(handle, "EVP_PKEY_new_raw_private_key", out var a)
                || !NativeLibrary.TryGetExport(handle, "EVP_PKEY_free", out var b)
                || !NativeLibrary.TryGetExport(handle, "EVP_MD_CTX_new", out var c)
                || !NativeLibrary.TryGetExport(handle, "EVP_MD_CTX_free", out var d)
                || !NativeLibrary.TryGetExport(handle, "EVP_DigestSignInit", out var e)
                || !NativeLibrary.TryGetExport(handle, "EVP_DigestSign", out var g))
            {
                return null;
            }

            f.NewRawPrivateKey = (delegate* unmanaged<int, nint, byte*, nuint, nint>)a;
            f.FreeKey = (delegate* unmanaged<nint, void>)b;
            f.NewContext = (delegate* unmanaged<nint>)c;
            f.FreeContext = (delegate* unmanaged<nint, void>)d;
            f.DigestSignInit = (delegate* unmanaged<nint, nint, nint, nint, nint, int>)e;
            f.DigestSign = (delegate* unmanaged<nint, byte*, nuint*, byte*, nuint, int>)g;
            return f;
        }
    }
}

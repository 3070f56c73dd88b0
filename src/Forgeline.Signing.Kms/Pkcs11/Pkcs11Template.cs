using System.Runtime.InteropServices;
using System.Text;

namespace Forgeline.Signing.Kms.Pkcs11;

/// <summary>A CK_ATTRIBUTE array and its values in one block of native memory, which stays put while a call reads it.</summary>
internal sealed unsafe class Pkcs11Template : IDisposable
{
    private readonly List<(nuint Type, byte[] Value)> attributes = [];
    private byte* block;
    private nuint blockSize;

    /// <summary>The number of attributes.</summary>
    public nuint Count => (nuint)attributes.Count;

    /// <summary>The array, built on first use.</summary>
    public CkAttribute* Pointer => block is null ? Build() : (CkAttribute*)block;

    /// <summary>Adds a CK_BBOOL attribute.</summary>
    public Pkcs11Template Add(nuint type, bool value) => Add(type, [value ? (byte)1 : (byte)0]);

    /// <summary>Adds a CK_ULONG attribute.</summary>
    public Pkcs11Template Add(nuint type, nuint value) => Add(type, MemoryMarshal.AsBytes(new ReadOnlySpan<nuint>(in value)).ToArray());

    /// <summary>Adds a UTF-8 string attribute (CKA_LABEL).</summary>
    public Pkcs11Template Add(nuint type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    /// <summary>Adds a byte-array attribute.</summary>
    public Pkcs11Template Add(nuint type, byte[] value)
    {
        if (block is not null)
        {
            throw new InvalidOperationException("the template is already in use");
        }

        attributes.Add((type, value));
        return this;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (block is not null)
        {
            NativeMemory.Clear(block, blockSize);
            NativeMemory.Free(block);
            block = null;
        }
    }

    private CkAttribute* Build()
    {
        var headers = (nuint)(attributes.Count * sizeof(CkAttribute));
        blockSize = headers;
        foreach (var (_, value) in attributes)
        {
            blockSize += (nuint)value.Length;
        }

        block = (byte*)NativeMemory.AllocZeroed(Math.Max(blockSize, 1));
        var array = (CkAttribute*)block;
        var values = block + headers;
        for (var i = 0; i < attributes.Count; i++)
        {
            var (type, value) = attributes[i];
            value.CopyTo(new Span<byte>(values, value.Length));
            array[i] = new CkAttribute { Type = type, Value = values, ValueLength = (nuint)value.Length };
            values += value.Length;
        }

        return array;
    }
}

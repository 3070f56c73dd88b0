using System.ComponentModel.DataAnnotations;
using Forgeline.Signing.Kms;

namespace Forgeline.Signing;

/// <summary>Settings of the signer, bound from <c>Forgeline:Signing</c> (env <c>Forgeline__Signing__*</c>).</summary>
public sealed class SigningOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Signing";

    /// <summary>Where the key-encryption key comes from: <c>Kms:Provider</c> = file (default) or pkcs11, and its settings.</summary>
    public KmsOptions Kms { get; set; } = new();

    /// <summary>Most items one sign request may carry.</summary>
    [Range(1, 10_000)]
    public int MaxItemsPerRequest { get; set; } = 512;

    /// <summary>Largest RPM header or container payload accepted, in bytes.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public int MaxItemBytes { get; set; } = 32 * 1024 * 1024;
}

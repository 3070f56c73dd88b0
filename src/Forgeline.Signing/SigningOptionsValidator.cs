using Forgeline.Signing.Kms;
using Microsoft.Extensions.Options;

namespace Forgeline.Signing;

/// <summary>Checks the key-encryption key's settings at start-up, not at the first key made or used; each problem names its setting.</summary>
public sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var kms = options.Kms;
        var problems = new List<string>();
        var provider = kms.Provider?.Trim() ?? "";
        if (provider.Equals("pkcs11", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (setting, value, what) in new[]
            {
                (nameof(KmsOptions.Pkcs11Library), kms.Pkcs11Library, "the path of the PKCS#11 module"),
                (nameof(KmsOptions.Pkcs11Token), kms.Pkcs11Token, "the label of the token"),
                (nameof(KmsOptions.Pkcs11Pin), kms.Pkcs11Pin, "the token's user PIN"),
                (nameof(KmsOptions.Pkcs11KeyLabel), kms.Pkcs11KeyLabel, "the label of the AES key on the token"),
            })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{KmsOptions.Section}:{setting} is not set; with Provider=pkcs11 set it to {what}");
                }
            }
        }
        else if (!provider.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{KmsOptions.Section}:Provider must be 'file' or 'pkcs11' (got '{kms.Provider}')");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

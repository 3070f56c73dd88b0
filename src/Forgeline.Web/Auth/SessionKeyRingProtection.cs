using System.Text;
using System.Xml.Linq;
using Forgeline.Signing.Kms;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Auth;

/// <summary>
/// Seals the data-protection key ring (the keys behind session and sign-in cookies) before it is written to
/// <c>&lt;data&gt;/session-keys</c>: AES-256-GCM under the key file <c>&lt;data&gt;/session-keys.key</c> (mode 0600, made at first
/// start), the same format and rules as the signing master key. A copy of <c>session-keys</c> alone forges no session.
/// </summary>
public sealed class SessionKeyRingProtection(IKeyEncryptionKey key) : IXmlEncryptor, IDisposable
{
    /// <summary>The element that replaces a key's secret in the key ring's XML files.</summary>
    public const string ElementName = "forgelineSealedKey";

    /// <summary>The key file beside the key ring directory <paramref name="keysDirectory"/>.</summary>
    public static string KeyFileFor(string keysDirectory) => Path.TrimEndingDirectorySeparator(keysDirectory) + ".key";

    /// <summary>Opens (or creates) the key file for <paramref name="keysDirectory"/>.</summary>
    public static SessionKeyRingProtection Open(string keysDirectory) => new(FileKeyEncryptionKey.OpenOrCreate(KeyFileFor(keysDirectory)));

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedSecret = key.Wrap(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        var element = new XElement(ElementName, new XAttribute("keyId", key.KeyId), Convert.ToBase64String(sealedSecret));
        return new EncryptedXmlInfo(element, typeof(SessionKeyRingDecryptor));
    }

    /// <summary>Opens what <see cref="Encrypt"/> sealed.</summary>
    public XElement Decrypt(XElement encryptedElement)
    {
        var plaintext = key.Unwrap(Convert.FromBase64String(encryptedElement.Value));
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}

/// <summary>The decryptor data protection names in each sealed key (it is created by type, with the application's services).</summary>
public sealed class SessionKeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement) => services.GetRequiredService<SessionKeyRingProtection>().Decrypt(encryptedElement);
}

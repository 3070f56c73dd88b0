using System.Security.Cryptography.X509Certificates;
using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Signing.Kms;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.Signing;

/// <summary>Key management: make or import keys, seal their private parts at once, show only public parts.</summary>
public sealed partial class SigningKeyService(
    ForgelineDbContext db,
    KeySealer sealer,
    IKeyEncryptionKey kek,
    LoadedKeyCache cache,
    TimeProvider time,
    ILogger<SigningKeyService> logger)
{
    /// <summary>Makes a new key inside the signer.</summary>
    public async Task<ServiceResult<KeyDto>> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        if (await CommonProblemAsync(request.Name, request.Type, request.AllowedSigners, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (!KeyKinds.Algorithms[request.Type].Contains(request.Algorithm))
        {
            return Invalid($"algorithm '{request.Algorithm}' is not available for {request.Type} keys; use one of {string.Join(", ", KeyKinds.Algorithms[request.Type])}");
        }

        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } expires && expires <= now)
        {
            return Invalid($"expiry {expires:u} is in the past");
        }

        var purposes = Purposes(request.Type, request.Purposes, request.Ca);
        if (!purposes.IsSuccess)
        {
            return ServiceResult<KeyDto>.Fail(purposes.Error!.Value, purposes.Message!);
        }

        try
        {
            return request.Type == KeyKinds.OpenPgp
                ? await CreateOpenPgpAsync(request, purposes.Value!, now, cancellationToken)
                : await CreateX509Async(request, purposes.Value!, now, cancellationToken);
        }
        catch (X509SigningException e)
        {
            return Invalid(e.Message);
        }
    }

    /// <summary>Imports an existing private key; it is sealed before it is stored.</summary>
    public async Task<ServiceResult<KeyDto>> ImportAsync(ImportKeyRequest request, CancellationToken cancellationToken)
    {
        var type = request.OpenPgpSecretKey is not null ? KeyKinds.OpenPgp : KeyKinds.X509;
        if ((request.OpenPgpSecretKey is null) == (request.PrivateKeyPem is null))
        {
            return Invalid("give either an OpenPGP secret key, or an X.509 private key with its certificate");
        }

        if (await CommonProblemAsync(request.Name, type, request.AllowedSigners, cancellationToken) is { } problem)
        {
            return problem;
        }

        try
        {
            SigningKeyRecord record;
            if (type == KeyKinds.OpenPgp)
            {
                var material = OpenPgpKeyFactory.Import(request.OpenPgpSecretKey!, request.Passphrase);
                record = OpenPgpRecord(request.Name, material, Purposes(type, request.Purposes, false).Value ?? [], request.AllowedSigners);
            }
            else
            {
                if (request.CertificatePem is null)
                {
                    return Invalid("an X.509 import needs the certificate (PEM) with the private key");
                }

                var material = X509KeyFactory.Import(request.PrivateKeyPem!, request.CertificatePem);
                var purposes = Purposes(type, request.Purposes, material.IsCa);
                if (!purposes.IsSuccess)
                {
                    return ServiceResult<KeyDto>.Fail(purposes.Error!.Value, purposes.Message!);
                }

                var chain = PemBundle.Split(request.CertificatePem).Skip(1);
                record = X509Record(request.Name, material, purposes.Value!, request.AllowedSigners, issuerName: null, chain);
            }

            return await SaveAsync(record, "imported", cancellationToken);
        }
        catch (Exception e) when (e is OpenPgpFormatException or X509SigningException or OpenPgpRequestException)
        {
            return Invalid(e.Message);
        }
    }

    /// <summary>All keys.</summary>
    public async Task<List<KeyDto>> ListAsync(CancellationToken cancellationToken) =>
        (await db.SigningKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken)).Select(ToDto).ToList();

    /// <summary>One key.</summary>
    public async Task<ServiceResult<KeyDto>> GetAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken) is { } key ? ToDto(key) : NotFound(name);

    /// <summary>Enables or disables a key.</summary>
    public async Task<ServiceResult<KeyDto>> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken)
    {
        if (await db.SigningKeys.Where(k => k.Name == name).ExecuteUpdateAsync(s => s.SetProperty(k => k.Disabled, !enabled), cancellationToken) == 0)
        {
            return NotFound(name);
        }

        LogKeyChanged(name, enabled ? "enabled" : "disabled");
        return await GetAsync(name, cancellationToken);
    }

    /// <summary>Sets the token names that may sign with a key.</summary>
    public async Task<ServiceResult<KeyDto>> SetSignersAsync(string name, IReadOnlyList<string> signers, CancellationToken cancellationToken)
    {
        if (SignersProblem(signers) is { } problem)
        {
            return Invalid(problem);
        }

        var value = string.Join(' ', signers.Distinct(StringComparer.Ordinal));
        if (await db.SigningKeys.Where(k => k.Name == name).ExecuteUpdateAsync(s => s.SetProperty(k => k.AllowedSigners, value), cancellationToken) == 0)
        {
            return NotFound(name);
        }

        LogKeyChanged(name, $"signers set to {value}");
        return await GetAsync(name, cancellationToken);
    }

    /// <summary>Deletes a key for good; its audit trail stays.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        if (await db.SigningKeys.AnyAsync(k => k.IssuerName == name, cancellationToken))
        {
            return ServiceResult<bool>.Fail(ServiceError.Conflict, $"key '{name}' issued certificates of other keys; delete those first");
        }

        if (await db.SigningKeys.Where(k => k.Name == name).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, $"there is no key '{name}'");
        }

        cache.Evict(name);
        LogKeyChanged(name, "deleted");
        return true;
    }

    /// <summary>The key record, tracked nowhere.</summary>
    public Task<SigningKeyRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        db.SigningKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == name, cancellationToken);

    /// <summary>The API view of a key: public parts only.</summary>
    public static KeyDto ToDto(SigningKeyRecord k)
    {
        var pems = k.Kind == KeyKinds.X509 ? PemBundle.Split(k.PublicKey) : [k.PublicKey];
        return new KeyDto(k.Name, k.Kind, k.Algorithm, k.Purposes.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.Fingerprint, k.KeyId, k.Identity, k.IssuerName,
            new DateTimeOffset(k.CreatedAt), k.ExpiresAt is { } e ? new DateTimeOffset(e) : null, k.Disabled,
            k.AllowedSigners.Split(' ', StringSplitOptions.RemoveEmptyEntries), pems[0], pems.Skip(1).ToList());
    }

    private async Task<ServiceResult<KeyDto>> CreateOpenPgpAsync(CreateKeyRequest request, string[] purposes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            return Invalid("an OpenPGP key needs a user id, e.g. --user-id 'Example RPM Signing <rpm@example.org>'");
        }

        var material = OpenPgpKeyFactory.Generate(KeyKinds.ToOpenPgp(request.Algorithm), request.UserId, now, request.ExpiresAt);
        return await SaveAsync(OpenPgpRecord(request.Name, material, purposes, request.AllowedSigners), "created", cancellationToken);
    }

    private async Task<ServiceResult<KeyDto>> CreateX509Async(CreateKeyRequest request, string[] purposes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Subject) || !request.Subject.Contains('=', StringComparison.Ordinal))
        {
            return Invalid("an X.509 key needs a subject, e.g. --subject 'CN=Example Secure Boot Signing'");
        }

        var algorithm = KeyKinds.ToX509(request.Algorithm);
        var notAfter = request.ExpiresAt ?? now.AddYears(request.Ca ? 10 : 3);
        if (request.Issuer is null)
        {
            var root = X509KeyFactory.CreateRoot(request.Subject, algorithm, now.AddMinutes(-5), notAfter);
            return await SaveAsync(X509Record(request.Name, root, purposes, request.AllowedSigners, null, []), "created", cancellationToken);
        }

        var issuer = await FindAsync(request.Issuer, cancellationToken);
        if (issuer is null || issuer.Kind != KeyKinds.X509 || !issuer.Purposes.Split(' ').Contains("ca"))
        {
            return Invalid($"issuer '{request.Issuer}' is not an X.509 CA key here; create one with --type x509 --ca");
        }

        if (issuer.Disabled || issuer.ExpiresAt < now.UtcDateTime)
        {
            return ServiceResult<KeyDto>.Fail(ServiceError.Conflict, $"issuer '{request.Issuer}' is disabled or expired");
        }

        var issuerPems = PemBundle.Split(issuer.PublicKey);
        var issuerPkcs8 = sealer.Unseal(SealedSecret.FromBytes(issuer.SealedPrivateKey), LoadedKeyCache.Context(issuer.Name));
        try
        {
            var issuerMaterial = new X509KeyMaterial(issuerPkcs8, PemBundle.Der(issuerPems[0]), KeyKinds.ToX509(issuer.Algorithm), issuer.Identity, true,
                DateTimeOffset.MinValue, new DateTimeOffset(issuer.ExpiresAt ?? DateTime.MaxValue.AddDays(-1), TimeSpan.Zero));
            var issued = X509KeyFactory.CreateIssued(issuerMaterial, request.Subject, algorithm, request.Ca, now.AddMinutes(-5), notAfter);
            return await SaveAsync(X509Record(request.Name, issued, purposes, request.AllowedSigners, issuer.Name, issuerPems), "created", cancellationToken);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(issuerPkcs8);
        }
    }

    private SigningKeyRecord OpenPgpRecord(string name, OpenPgpKeyMaterial material, string[] purposes, IReadOnlyList<string>? signers)
    {
        var record = new SigningKeyRecord
        {
            Name = name, Kind = KeyKinds.OpenPgp, Algorithm = KeyKinds.Name(material.Algorithm), Purposes = string.Join(' ', purposes),
            Fingerprint = material.Fingerprint, KeyId = material.KeyId, Identity = material.UserId, PublicKey = material.ArmoredPublicKey,
            SealedPrivateKey = sealer.Seal(material.SecretKey, LoadedKeyCache.Context(name)).ToBytes(), SealedBy = $"{kek.Provider}:{kek.KeyId}",
            CreatedAt = time.GetUtcNow().UtcDateTime, ExpiresAt = material.ExpiresAt?.UtcDateTime, AllowedSigners = string.Join(' ', signers ?? ["*"]),
        };
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(material.SecretKey);
        return record;
    }

    private SigningKeyRecord X509Record(string name, X509KeyMaterial material, string[] purposes, IReadOnlyList<string>? signers, string? issuerName, IEnumerable<string> chain)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(material.CertificateDer);
        var record = new SigningKeyRecord
        {
            Name = name, Kind = KeyKinds.X509, Algorithm = KeyKinds.Name(material.Algorithm), Purposes = string.Join(' ', purposes),
            Fingerprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), KeyId = certificate.SerialNumber,
            Identity = certificate.Subject, PublicKey = string.Join("", [X509KeyFactory.ToPem(material.CertificateDer), .. chain]), IssuerName = issuerName,
            SealedPrivateKey = sealer.Seal(material.Pkcs8PrivateKey, LoadedKeyCache.Context(name)).ToBytes(), SealedBy = $"{kek.Provider}:{kek.KeyId}",
            CreatedAt = time.GetUtcNow().UtcDateTime, ExpiresAt = certificate.NotAfter.ToUniversalTime(), AllowedSigners = string.Join(' ', signers ?? ["*"]),
        };
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(material.Pkcs8PrivateKey);
        return record;
    }

    private async Task<ServiceResult<KeyDto>> SaveAsync(SigningKeyRecord record, string what, CancellationToken cancellationToken)
    {
        db.SigningKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        LogKeyChanged(record.Name, $"{what}: {record.Kind} {record.Algorithm} {record.Fingerprint}");
        return ToDto(record);
    }

    private async Task<ServiceResult<KeyDto>?> CommonProblemAsync(string name, string type, IReadOnlyList<string>? signers, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(name))
        {
            return Invalid($"a key name is {ResourceName.Rule}");
        }

        if (!KeyKinds.Purposes.ContainsKey(type))
        {
            return Invalid($"unknown key type '{type}'; use openpgp or x509");
        }

        if (signers is not null && SignersProblem(signers) is { } problem)
        {
            return Invalid(problem);
        }

        if (await db.SigningKeys.AnyAsync(k => k.Name == name, cancellationToken))
        {
            return ServiceResult<KeyDto>.Fail(ServiceError.Conflict, $"a key named '{name}' exists; choose another name");
        }

        return null;
    }

    private static ServiceResult<string[]> Purposes(string type, IReadOnlyList<string>? requested, bool ca)
    {
        var allowed = KeyKinds.Purposes[type];
        var purposes = requested is { Count: > 0 } ? requested.Distinct(StringComparer.Ordinal).ToArray()
            : type == KeyKinds.OpenPgp ? allowed
            : ca ? ["ca"] : ["kmod", "efi"];
        return purposes.FirstOrDefault(p => !allowed.Contains(p)) is { } bad
            ? ServiceResult<string[]>.Fail(ServiceError.Invalid, $"a {type} key cannot have purpose '{bad}'; use some of {string.Join(", ", allowed)}")
            : purposes;
    }

    private static string? SignersProblem(IReadOnlyList<string> signers) =>
        signers.Count == 0 ? "name at least one signer (a token name, or * for any token with the sign scope)"
        : signers.FirstOrDefault(s => s != "*" && !ResourceName.IsValid(s)) is { } bad ? $"'{bad}' is not a token name"
        : null;

    private static ServiceResult<KeyDto> Invalid(string message) => ServiceResult<KeyDto>.Fail(ServiceError.Invalid, message);

    private static ServiceResult<KeyDto> NotFound(string name) => ServiceResult<KeyDto>.Fail(ServiceError.NotFound, $"there is no key '{name}'; 'forgeline key list' shows the keys");

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {KeyId} {Change}")]
    private partial void LogKeyChanged(string keyId, string change);
}

using System.Security.Cryptography;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Signing;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Rpm;
using Forgeline.Signing.Kms;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Signing;

/// <summary>
/// Signs what clients send — RPM headers, prepared OpenPGP digests, container payloads, kernel-module and EFI digests —
/// after checking the key is enabled, unexpired, allowed for the caller and meant for the format; records each signature.
/// </summary>
public sealed partial class SigningService(
    ForgelineDbContext db,
    LoadedKeyCache keys,
    IOptions<SigningOptions> options,
    TimeProvider time,
    ILogger<SigningService> logger)
{
    /// <summary>Signs every item of <paramref name="request"/> with the key <paramref name="keyName"/> for <paramref name="signer"/>.</summary>
    /// <remarks><paramref name="actingAs"/> are the groups (and queue owner) the signer acts for: a key may allow a group.</remarks>
    public async Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, bool isAdmin, SignRequest request, CancellationToken cancellationToken, IReadOnlyCollection<string>? actingAs = null)
    {
        var key = await db.SigningKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == keyName, cancellationToken);
        if (key is null)
        {
            return Fail(ServiceError.NotFound, $"there is no key '{keyName}'; 'forgeline key list' shows the keys");
        }

        var now = time.GetUtcNow();
        if (Refusal(key, signer, actingAs ?? [], isAdmin, request, now) is { } refusal)
        {
            return refusal;
        }

        var signatures = new byte[request.Items.Count][];
        var digests = new string[request.Items.Count];
        string? problem = null;
        try
        {
            // Looked up (and unsealed, a KMS call at most, on a cache miss) once per request, not per item: a sealing
            // problem is reported as such, and a batch of small items costs no per-item cache lookups.
            var loaded = key.Kind == KeyKinds.OpenPgp ? (IDisposable)keys.OpenPgp(key) : keys.X509(key);

            // Signing is CPU-bound and the key objects are thread-safe: a batch uses every core.
            Parallel.For(0, request.Items.Count, new ParallelOptions { CancellationToken = cancellationToken }, (i, state) =>
            {
                try
                {
                    (signatures[i], digests[i]) = SignItem(loaded, request.Format, request.Items[i], now);
                }
                catch (Exception e) when (e is RpmFormatException or OpenPgpRequestException or OpenPgpFormatException or X509SigningException or ArgumentException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    problem ??= $"item {i + 1} ({request.Items[i].FileName ?? "unnamed"}): {e.Message}";
                    state.Stop();
                }
            });
        }
        catch (KeySealingException e)
        {
            LogUnsealFailed(keyName, e.Message);
            return Fail(ServiceError.Conflict, $"key '{keyName}' cannot be unsealed on this server: {e.Message}");
        }

        if (problem is not null)
        {
            return Fail(ServiceError.Invalid, problem);
        }

        var at = now.UtcDateTime;
        db.Signatures.AddRange(request.Items.Select((item, i) => new SignatureRecord
        {
            KeyName = key.Name, Signer = signer, Format = request.Format, Digest = digests[i], FileName = item.FileName is { } f ? Path.GetFileName(f) : null, SignedAt = at,
        }));
        // Who signed what with which key, as the audit trail has it: never key material. Not public: the signer and admins see it.
        EventOutbox.Add(db, EventTypes.SignatureCreated, EventOutbox.SignerSource, $"keys/{key.Name}", signer, isPublic: false,
            new SignatureCreatedData(key.Name, signer, request.Format,
                request.Items.Select((item, i) => new SignedItemData(digests[i], item.FileName is { } name ? Path.GetFileName(name) : null)).ToList()), at);
        await db.SaveChangesAsync(cancellationToken);
        LogSigned(request.Items.Count, request.Format, key.Name, signer);
        return new SignResponse(signatures);
    }

    /// <summary>The audit trail, newest first.</summary>
    /// <remarks>With <paramref name="signers"/>, only the signatures those names made (what a user who is not an admin sees).</remarks>
    public async Task<List<SignatureLogEntry>> LogAsync(string? keyName, int limit, long? before, CancellationToken cancellationToken, IReadOnlyCollection<string>? signers = null)
    {
        var query = db.Signatures.AsNoTracking();
        if (signers is not null)
        {
            var names = signers.ToList();
            query = query.Where(s => names.Contains(s.Signer));
        }

        if (keyName is not null)
        {
            query = query.Where(s => s.KeyName == keyName);
        }

        if (before is { } b)
        {
            query = query.Where(s => s.Id < b);
        }

        return (await query.OrderByDescending(s => s.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken))
            .Select(s => new SignatureLogEntry(s.Id, s.KeyName, s.Signer, s.Format, s.Digest, s.FileName, new DateTimeOffset(s.SignedAt)))
            .ToList();
    }

    private ServiceResult<SignResponse>? Refusal(SigningKeyRecord key, string signer, IReadOnlyCollection<string> actingAs, bool isAdmin, SignRequest request, DateTimeOffset now)
    {
        if (key.Disabled)
        {
            return Fail(ServiceError.Conflict, $"key '{key.Name}' is disabled; an admin can enable it with 'forgeline key enable {key.Name}'");
        }

        if (key.ExpiresAt is { } expires && expires <= now.UtcDateTime)
        {
            return Fail(ServiceError.Conflict, $"key '{key.Name}' expired on {expires:yyyy-MM-dd}; create or import a new key");
        }

        var signers = key.AllowedSigners.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!isAdmin && !signers.Contains("*") && !signers.Contains(signer) && !signers.Any(actingAs.Contains))
        {
            return Fail(ServiceError.Forbidden, $"'{signer}' may not sign with key '{key.Name}'; an admin can allow it with 'forgeline key allow {key.Name} {signer}'");
        }

        var purposes = key.Purposes.Split(' ');
        if (KeyKinds.KindFor(request.Format) is null)
        {
            return Fail(ServiceError.Invalid, $"unknown format '{request.Format}'; use rpm, file, container, kmod or efi");
        }

        if (!purposes.Contains(request.Format))
        {
            return Fail(ServiceError.Invalid, $"key '{key.Name}' ({key.Kind}) is for {string.Join(", ", purposes)}, not {request.Format}; use a key made for {request.Format}");
        }

        if (request.Items is not { Count: > 0 } || request.Items.Count > options.Value.MaxItemsPerRequest)
        {
            return Fail(ServiceError.Invalid, $"send between 1 and {options.Value.MaxItemsPerRequest} items per request");
        }

        var limit = options.Value.MaxItemBytes;
        if (request.Items.Any(i => (i.Data?.Length ?? 0) > limit))
        {
            return Fail(ServiceError.TooLarge, $"an item is larger than {limit} bytes; send the RPM header or a digest, not the whole file");
        }

        return null;
    }

    private static (byte[] Signature, string Digest) SignItem(IDisposable key, string format, SignItem item, DateTimeOffset now)
    {
        switch (format)
        {
            case "rpm":
                var header = item.Data ?? throw new ArgumentException("an rpm item carries the package's main header in 'data'");
                return (OpenPgpOf(key).SignRpmHeader(header, now), Convert.ToHexStringLower(SHA256.HashData(header)));
            case "container":
                var payload = item.Data ?? throw new ArgumentException("a container item carries the simple-signing payload in 'data'");
                ContainerPayloadCheck.Validate(payload);
                return (OpenPgpOf(key).SignMessage(payload, now), Convert.ToHexStringLower(SHA256.HashData(payload)));
            case "file":
                var prepared = new OpenPgpPreparedSignature(
                    (byte)(item.SignatureType ?? 0),
                    HashAlgorithm(item.Hash) == HashAlgorithmName.SHA512 ? OpenPgpHashAlgorithm.Sha512 : OpenPgpHashAlgorithm.Sha256,
                    item.HashedArea ?? throw new ArgumentException("a file item carries the OpenPGP hashed area in 'hashedArea'"),
                    Digest(item));
                return (OpenPgpOf(key).SignPrepared(prepared, now), Convert.ToHexStringLower(prepared.Digest));
            default:
                var digest = Digest(item);
                return (X509Of(key).SignDigest(digest, HashAlgorithm(item.Hash)), Convert.ToHexStringLower(digest));
        }
    }

    private static OpenPgpPrivateKey OpenPgpOf(IDisposable key) =>
        key as OpenPgpPrivateKey ?? throw new InvalidOperationException("this format is signed with an OpenPGP key, and this key is not one");

    private static X509PrivateKey X509Of(IDisposable key) =>
        key as X509PrivateKey ?? throw new InvalidOperationException("this format is signed with an X.509 key, and this key is not one");

    private static byte[] Digest(SignItem item)
    {
        var digest = item.Digest ?? throw new ArgumentException("the item carries no digest");
        var expected = HashAlgorithm(item.Hash) == HashAlgorithmName.SHA512 ? 64 : 32;
        return digest.Length == expected ? digest : throw new ArgumentException($"a {item.Hash ?? "sha256"} digest has {expected} bytes, not {digest.Length}");
    }

    private static HashAlgorithmName HashAlgorithm(string? name) => name?.ToLowerInvariant() switch
    {
        null or "sha256" => HashAlgorithmName.SHA256,
        "sha512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"hash '{name}' is not accepted; use sha256 or sha512"),
    };

    private static ServiceResult<SignResponse> Fail(ServiceError error, string message) => ServiceResult<SignResponse>.Fail(error, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed {Count} {Format} item(s) with key {KeyId} for {Signer}")]
    private partial void LogSigned(int count, string format, string keyId, string signer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Key {KeyId} cannot be unsealed: {Reason}")]
    private partial void LogUnsealFailed(string keyId, string reason);
}

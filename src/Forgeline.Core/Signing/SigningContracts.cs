namespace Forgeline.Core.Signing;

/// <summary>Body of <c>POST /api/v1/keys</c>: a key made inside the signer.</summary>
/// <param name="Name">Unique key name (letters, digits, '-', '_', '.').</param>
/// <param name="Type"><c>openpgp</c> or <c>x509</c>.</param>
/// <param name="Algorithm">openpgp: rsa2048, rsa3072, rsa4096, ed25519; x509: rsa2048, rsa3072, rsa4096, ecdsa-p256.</param>
/// <param name="UserId">OpenPGP user id, e.g. <c>openEuler RPM &lt;rpm@example.org&gt;</c>.</param>
/// <param name="Subject">X.509 subject, e.g. <c>CN=Example Secure Boot</c>.</param>
/// <param name="Issuer">X.509: name of the CA key that issues the certificate; none for a self-signed root.</param>
/// <param name="Ca">X.509: the certificate is a CA (root or intermediate).</param>
/// <param name="ExpiresAt">After this the key refuses to sign.</param>
/// <param name="Purposes">What it may sign: rpm, file, container (openpgp); kmod, efi (x509). All of its type when empty.</param>
/// <param name="AllowedSigners">Token names that may sign with it; <c>*</c> for any token with the sign scope (the default).</param>
public sealed record CreateKeyRequest(
    string Name,
    string Type,
    string Algorithm,
    string? UserId = null,
    string? Subject = null,
    string? Issuer = null,
    bool Ca = false,
    DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<string>? Purposes = null,
    IReadOnlyList<string>? AllowedSigners = null);

/// <summary>Body of <c>POST /api/v1/keys/import</c>: an existing private key handed to the signer once.</summary>
/// <param name="Name">Unique key name.</param>
/// <param name="OpenPgpSecretKey">An armored OpenPGP secret key (gpg --export-secret-keys --armor).</param>
/// <param name="Passphrase">Its passphrase, when protected.</param>
/// <param name="PrivateKeyPem">An X.509 private key in PEM (PKCS#8, RSA or EC).</param>
/// <param name="CertificatePem">The matching certificate, then optionally its chain, in PEM.</param>
/// <param name="Purposes">What it may sign.</param>
/// <param name="AllowedSigners">Token names that may sign with it.</param>
public sealed record ImportKeyRequest(
    string Name,
    string? OpenPgpSecretKey = null,
    string? Passphrase = null,
    string? PrivateKeyPem = null,
    string? CertificatePem = null,
    IReadOnlyList<string>? Purposes = null,
    IReadOnlyList<string>? AllowedSigners = null);

/// <summary>A key as the API shows it: public parts only.</summary>
public sealed record KeyDto(
    string Name,
    string Type,
    string Algorithm,
    IReadOnlyList<string> Purposes,
    string Fingerprint,
    string? KeyId,
    string Identity,
    string? Issuer,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool Disabled,
    IReadOnlyList<string> AllowedSigners,
    string PublicKey,
    IReadOnlyList<string> Chain);

/// <summary>Body of <c>PUT /api/v1/keys/{name}/signers</c>.</summary>
public sealed record SetSignersRequest(IReadOnlyList<string> AllowedSigners);

/// <summary>Body of <c>POST /api/v1/keys/{name}/sign</c>: what must be signed, never whole files.</summary>
/// <param name="Format">rpm (items carry RPM headers), file (prepared OpenPGP digests), container (simple-signing payloads), kmod or efi (digests).</param>
/// <param name="Items">One or more things to sign; batches keep many small signatures fast.</param>
public sealed record SignRequest(string Format, IReadOnlyList<SignItem> Items);

/// <summary>One thing to sign.</summary>
/// <param name="FileName">Name of the file it belongs to, for the audit trail.</param>
/// <param name="Data">rpm: the main header; container: the payload.</param>
/// <param name="Digest">file, kmod, efi: the digest to sign.</param>
/// <param name="Hash">Hash algorithm of the digest: sha256 or sha512.</param>
/// <param name="HashedArea">file: the OpenPGP signature's hashed area the client built and hashed after the data.</param>
/// <param name="SignatureType">file: the OpenPGP signature type (0 for a binary document).</param>
public sealed record SignItem(string? FileName, byte[]? Data = null, byte[]? Digest = null, string? Hash = null, byte[]? HashedArea = null, int? SignatureType = null);

/// <summary>Answer to a sign request: one signature per item, in order.</summary>
public sealed record SignResponse(IReadOnlyList<byte[]> Signatures);

/// <summary>One entry of the signature audit trail.</summary>
public sealed record SignatureLogEntry(long Id, string Key, string Signer, string Format, string Digest, string? FileName, DateTimeOffset SignedAt);

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Forgeline.Core.Signing;
using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;

namespace Forgeline.Signing.Client;

/// <summary>
/// Signs files with a key behind an <see cref="ISigningBackend"/> (a remote signer node, or the signer in this process): only
/// what must be signed goes to it — RPM headers, digests, small payloads — and the signed files are assembled here. The one
/// place that does sign-then-assemble, for the CLI and for project publication alike.
/// </summary>
public sealed class FileSigner(ISigningBackend backend, string keyName, string signer, TimeProvider? time = null)
{
    /// <summary>RPM headers per request: large enough to amortise the round trip, small enough that several requests overlap and every core stays busy.</summary>
    public const int RpmBatchSize = 50;

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private KeyDto? key;

    /// <summary>The key's public description (fetched once); throws <see cref="SigningFailedException"/> when there is none.</summary>
    public async Task<KeyDto> KeyAsync(CancellationToken cancellationToken = default) =>
        key ??= Value(await backend.GetKeyAsync(keyName, cancellationToken));

    /// <summary>
    /// Adds (or replaces) the header signature of each RPM, in place or into <paramref name="outputDirectory"/>, several
    /// batches at a time; reports each finished file to <paramref name="progress"/>. Each file is replaced atomically.
    /// </summary>
    public async Task<IReadOnlyList<SignedFile>> SignRpmsAsync(IReadOnlyList<string> paths, string? outputDirectory, IProgress<SignedFile>? progress, CancellationToken cancellationToken = default)
    {
        var items = paths.Select(path =>
        {
            var output = outputDirectory is null ? path : Path.Combine(outputDirectory, Path.GetFileName(path));
            return new RpmToSign(Path.GetFileName(path), () => OpenForReading(path), (write, _) =>
            {
                // The original is read while its replacement is written beside it: the rename swaps them at the end.
                AtomicFile.Write(output, write, durable: false);
                return ValueTask.CompletedTask;
            });
        }).ToList();
        var results = new SignedFile[paths.Count];
        await SignRpmsAsync(items, null, (i, error) =>
        {
            var output = outputDirectory is null ? paths[i] : Path.Combine(outputDirectory, Path.GetFileName(paths[i]));
            results[i] = new SignedFile(paths[i], error is null ? output : null, error);
            progress?.Report(results[i]);
        }, cancellationToken);
        return results;
    }

    /// <summary>
    /// Signs RPMs from anywhere into anywhere, <see cref="RpmBatchSize"/> headers per request and several requests in flight.
    /// Returns per package null (signed and written) or why it was left alone (not an RPM, corrupt, truncated, v3, unreadable).
    /// A refusal or an unreachable signer throws <see cref="SigningFailedException"/>: then packages of the failed batch
    /// were not written.
    /// </summary>
    public Task<string?[]> SignRpmsAsync(IReadOnlyList<RpmToSign> rpms, IProgress<int>? progress, CancellationToken cancellationToken) =>
        SignRpmsAsync(rpms, progress, null, cancellationToken);

    private async Task<string?[]> SignRpmsAsync(IReadOnlyList<RpmToSign> rpms, IProgress<int>? progress, Action<int, string?>? finished, CancellationToken cancellationToken)
    {
        var errors = new string?[rpms.Count];
        var batches = Enumerable.Range(0, rpms.Count).Chunk(RpmBatchSize);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 3), CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var ready = new List<(int Index, byte[] Header)>(batch.Length);
            foreach (var i in batch)
            {
                try
                {
                    // The whole file is read here, to check its digests; only its main header goes to the signer.
                    using var stream = rpms[i].Open();
                    ready.Add((i, RpmSignatureApplier.ReadHeaderForSigning(stream)));
                }
                catch (Exception e) when (e is RpmFormatException or IOException or UnauthorizedAccessException)
                {
                    Finish(i, e.Message);
                }
            }

            if (ready.Count == 0)
            {
                return;
            }

            var response = Value(await backend.SignAsync(keyName, signer, new SignRequest("rpm", ready.Select(r => new SignItem(rpms[r.Index].Name, Data: r.Header)).ToList()), ct));
            for (var n = 0; n < ready.Count; n++)
            {
                var i = ready[n].Index;
                try
                {
                    var signature = response.Signatures[n];
                    var item = rpms[i];
                    await item.Write(destination =>
                    {
                        using var input = item.Open();
                        RpmSignatureApplier.Apply(input, signature, destination);
                    }, ct);
                    Finish(i, null);
                }
                catch (Exception e) when (e is RpmFormatException or OpenPgpFormatException or OpenPgpRequestException or IOException or UnauthorizedAccessException)
                {
                    Finish(i, e.Message);
                }
            }
        });
        return errors;

        void Finish(int index, string? error)
        {
            errors[index] = error;
            finished?.Invoke(index, error);
            progress?.Report(index);
        }
    }

    /// <summary>A detached OpenPGP signature of any file (ISO, repomd.xml, tarball): returns the signature file written.</summary>
    public async Task<SignedFile> SignDetachedAsync(string path, bool armor, string? output, CancellationToken cancellationToken = default)
    {
        var signature = await SignDetachedAsync(() => File.OpenRead(path), Path.GetFileName(path), cancellationToken);
        var target = output ?? path + (armor ? ".asc" : ".sig");
        if (armor)
        {
            AtomicFile.WriteAllBytes(target, System.Text.Encoding.ASCII.GetBytes(OpenPgpDetachedSignature.Armor(signature)));
        }
        else
        {
            AtomicFile.WriteAllBytes(target, signature);
        }

        return new SignedFile(path, target, null);
    }

    /// <summary>
    /// A detached OpenPGP signature (binary) of the data <paramref name="open"/> gives (opened twice: hashed here, then the
    /// answer is checked against it). A signature that does not verify is never returned.
    /// </summary>
    public async Task<byte[]> SignDetachedAsync(Func<Stream> open, string fileName, CancellationToken cancellationToken = default)
    {
        var publicKey = OpenPgpPublicKeyInfo.Parse((await KeyAsync(cancellationToken)).PublicKey);
        OpenPgpPreparedSignature prepared;
        await using (var data = open())
        {
            prepared = OpenPgpDetachedSignature.Prepare(publicKey, data, clock.GetUtcNow(), HashAlgorithmName.SHA256);
        }

        var item = new SignItem(fileName, Digest: prepared.Digest, Hash: prepared.Hash == OpenPgpHashAlgorithm.Sha512 ? "sha512" : "sha256",
            HashedArea: prepared.HashedArea, SignatureType: prepared.SignatureType);
        var signature = Value(await backend.SignAsync(keyName, signer, new SignRequest("file", [item]), cancellationToken)).Signatures[0];
        await using (var data = open())
        {
            if (!OpenPgpDetachedSignature.Verify(publicKey, data, signature))
            {
                throw new OpenPgpRequestException($"the signer's signature for {fileName} does not verify with key {publicKey.Fingerprint}");
            }
        }

        return signature;
    }

    /// <summary>Appends a kernel-module signature (PKCS#7, the kernel's format); an already signed module needs <paramref name="replace"/>.</summary>
    public async Task<SignedFile> SignKernelModuleAsync(string path, bool replace, string? output, CancellationToken cancellationToken = default)
    {
        var (certificate, _) = await CertificatesAsync(cancellationToken);
        var module = await File.ReadAllBytesAsync(path, cancellationToken);
        var signed = KernelModuleSigner.Sign(module, certificate, DigestSigner("kmod", Path.GetFileName(path), cancellationToken), HashAlgorithmName.SHA256, replace);
        AtomicFile.WriteAllBytes(output ?? path, signed);
        return new SignedFile(path, output ?? path, null);
    }

    /// <summary>Signs an EFI binary with Authenticode (replacing an existing signature).</summary>
    public async Task<SignedFile> SignEfiAsync(string path, string? output, CancellationToken cancellationToken = default)
    {
        var (certificate, chain) = await CertificatesAsync(cancellationToken);
        var image = await File.ReadAllBytesAsync(path, cancellationToken);
        var signed = AuthenticodeSigner.Sign(image, certificate, chain, DigestSigner("efi", Path.GetFileName(path), cancellationToken), HashAlgorithmName.SHA256);
        AtomicFile.WriteAllBytes(output ?? path, signed);
        return new SignedFile(path, output ?? path, null);
    }

    /// <summary>A containers/image simple signature for <paramref name="manifest"/> under <paramref name="dockerReference"/>.</summary>
    public async Task<byte[]> SignContainerAsync(byte[] manifest, string dockerReference, CancellationToken cancellationToken = default)
    {
        var payload = ContainerSignaturePayload.Create(dockerReference, ContainerSignaturePayload.ManifestDigest(manifest));
        var response = Value(await backend.SignAsync(keyName, signer, new SignRequest("container", [new SignItem(dockerReference, Data: payload)]), cancellationToken));
        return response.Signatures[0];
    }

    private static Stream OpenForReading(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024, FileOptions.SequentialScan);

    private static T Value<T>(Core.ServiceResult<T> result) =>
        result.IsSuccess ? result.Value! : throw new SigningFailedException(result.Error!.Value, result.Message!);

    private async Task<(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain)> CertificatesAsync(CancellationToken cancellationToken)
    {
        var dto = await KeyAsync(cancellationToken);
        if (dto.Type != "x509")
        {
            throw new X509SigningException($"key '{dto.Name}' is an {dto.Type} key; kernel modules and EFI binaries are signed with x509 keys");
        }

        // The root is the verifier's trust anchor, never part of what a signature carries (a verifier that is given the
        // leaf as anchor would otherwise see an untrusted self-signed certificate in the chain and refuse).
        var chain = dto.Chain.Select(pem => X509Certificate2.CreateFromPem(pem)).Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) is false).ToList();
        return (X509Certificate2.CreateFromPem(dto.PublicKey), chain);
    }

    private DigestSigner DigestSigner(string format, string fileName, CancellationToken cancellationToken) => (digest, hash) =>
    {
        var item = new SignItem(fileName, Digest: digest, Hash: hash == HashAlgorithmName.SHA512 ? "sha512" : "sha256");
        // The CMS machinery asks for the signature synchronously; the CLI has no synchronisation context to deadlock.
        return Value(backend.SignAsync(keyName, signer, new SignRequest(format, [item]), cancellationToken).GetAwaiter().GetResult()).Signatures[0];
    };
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Forgeline.Core.Client;
using Forgeline.Core.Signing;
using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp;
using Forgeline.Signing.X509;

namespace Forgeline.Signing.Client;

/// <summary>
/// Signs files with a key held by a Forgeline signer. Only what must be signed travels — RPM headers, digests, small
/// payloads — and the signed files are assembled here, each replaced atomically; a file that fails is left as it was.
/// </summary>
public sealed class RemoteSigner(ForgelineClient client, string keyName, TimeProvider? time = null)
{
    /// <summary>RPM headers per request: large enough to amortise the round trip, small enough that several requests overlap and every core stays busy.</summary>
    public const int RpmBatchSize = 50;

    /// <summary>Packages up to this size are read into memory once instead of twice from disk.</summary>
    public const long InMemoryLimit = 16 * 1024 * 1024;

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private KeyDto? key;

    /// <summary>The key's public description (fetched once).</summary>
    public async Task<KeyDto> KeyAsync(CancellationToken cancellationToken = default) => key ??= await client.GetKeyAsync(keyName, cancellationToken);

    /// <summary>
    /// Adds (or replaces) the header signature of each RPM, in place or into <paramref name="outputDirectory"/>, several
    /// batches at a time; reports each finished file to <paramref name="progress"/>.
    /// </summary>
    public async Task<IReadOnlyList<SignedFile>> SignRpmsAsync(IReadOnlyList<string> paths, string? outputDirectory, IProgress<SignedFile>? progress, CancellationToken cancellationToken = default)
    {
        await KeyAsync(cancellationToken);
        var results = new SignedFile[paths.Count];
        var batches = Enumerable.Range(0, paths.Count).Chunk(RpmBatchSize);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 3), CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var ready = new List<(int Index, byte[] Header, byte[]? Content)>();
            foreach (var i in batch)
            {
                try
                {
                    // Small packages (nearly all) are read once and kept for the rewrite; large ones are streamed twice.
                    var content = new FileInfo(paths[i]).Length <= InMemoryLimit ? await File.ReadAllBytesAsync(paths[i], ct) : null;
                    await using Stream file = content is null ? File.OpenRead(paths[i]) : new MemoryStream(content, writable: false);
                    ready.Add((i, RpmSignatureApplier.ReadHeaderForSigning(file), content));
                }
                catch (Exception e) when (e is RpmFormatException or IOException or UnauthorizedAccessException)
                {
                    Finish(i, null, e.Message);
                }
            }

            if (ready.Count == 0)
            {
                return;
            }

            var response = await client.SignAsync(keyName, new SignRequest("rpm", ready.Select(r => new SignItem(Path.GetFileName(paths[r.Index]), Data: r.Header)).ToList()), ct);
            for (var n = 0; n < ready.Count; n++)
            {
                var i = ready[n].Index;
                var output = outputDirectory is null ? paths[i] : Path.Combine(outputDirectory, Path.GetFileName(paths[i]));
                try
                {
                    var signature = response.Signatures[n];
                    var source = paths[i];
                    var content = ready[n].Content;
                    // Reading the original while its replacement is written beside it: the rename swaps them at the end.
                    AtomicFile.Write(output, destination =>
                    {
                        using Stream input = content is null ? File.OpenRead(source) : new MemoryStream(content, writable: false);
                        RpmSignatureApplier.Apply(input, signature, destination);
                    }, durable: false);

                    Finish(i, output, null);
                }
                catch (Exception e) when (e is RpmFormatException or IOException)
                {
                    Finish(i, null, e.Message);
                }
            }
        });
        return results;

        void Finish(int index, string? output, string? error)
        {
            results[index] = new SignedFile(paths[index], output, error);
            progress?.Report(results[index]);
        }
    }

    /// <summary>A detached OpenPGP signature of any file (ISO, repomd.xml, tarball): returns the signature file written.</summary>
    public async Task<SignedFile> SignDetachedAsync(string path, bool armor, string? output, CancellationToken cancellationToken = default)
    {
        var publicKey = OpenPgpPublicKeyInfo.Parse((await KeyAsync(cancellationToken)).PublicKey);
        OpenPgpPreparedSignature prepared;
        await using (var data = File.OpenRead(path))
        {
            prepared = OpenPgpDetachedSignature.Prepare(publicKey, data, clock.GetUtcNow(), HashAlgorithmName.SHA256);
        }

        var item = new SignItem(Path.GetFileName(path), Digest: prepared.Digest, Hash: prepared.Hash == OpenPgpHashAlgorithm.Sha512 ? "sha512" : "sha256",
            HashedArea: prepared.HashedArea, SignatureType: prepared.SignatureType);
        var signature = (await client.SignAsync(keyName, new SignRequest("file", [item]), cancellationToken)).Signatures[0];
        // Check the signer's answer before writing it: a signature that does not verify is never published.
        await using (var data = File.OpenRead(path))
        {
            if (!OpenPgpDetachedSignature.Verify(publicKey, data, signature))
            {
                throw new OpenPgpRequestException($"the signer's signature for {Path.GetFileName(path)} does not verify with key {publicKey.Fingerprint}");
            }
        }
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
        var response = await client.SignAsync(keyName, new SignRequest("container", [new SignItem(dockerReference, Data: payload)]), cancellationToken);
        return response.Signatures[0];
    }

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
        return client.SignAsync(keyName, new SignRequest(format, [item]), cancellationToken).GetAwaiter().GetResult().Signatures[0];
    };
}

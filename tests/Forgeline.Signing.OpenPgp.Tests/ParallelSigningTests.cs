using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp.Tests.Support;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>One loaded key serves many parallel callers and every signature it returns is valid.</summary>
[Collection(RpmPackagesCollection.Name)]
public sealed class ParallelSigningTests(RpmTestPackages packages) : IDisposable
{
    private readonly GnuPgHome _gpg = new();

    [Theory]
    [InlineData(OpenPgpAlgorithm.Ed25519, 1000)]
    [InlineData(OpenPgpAlgorithm.Rsa4096, 200)]
    public async Task Parallel_header_signatures_all_verify(OpenPgpAlgorithm algorithm, int count)
    {
        byte[] header = RpmSignatureApplier.ReadHeaderForSigning(new MemoryStream(File.ReadAllBytes(packages.BinaryPath)));
        OpenPgpPrivateKey signer = TestKeys.Signer(algorithm);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var signatures = new byte[count][];

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) }, i =>
            signatures[i] = signer.SignRpmHeader(header, now.AddSeconds(-i)));

        // Every signature is checked by an implementation that is not ours: BouncyCastle's OpenPGP code for RSA, and for
        // Ed25519 (which BouncyCastle 1.8's OpenPGP layer lacks) RFC 4880's hashing rule spelt out here plus BouncyCastle's Ed25519.
        Func<byte[], bool> verify = algorithm == OpenPgpAlgorithm.Ed25519 ? VerifyEd25519(header, algorithm) : VerifyRsa(header, algorithm);
        signatures.Count(s => !verify(s)).ShouldBe(0);
        signatures.Select(Convert.ToBase64String).Distinct().Count().ShouldBe(count, "each signature carries its own creation time");

        await _gpg.ImportAsync(TestKeys.Material(algorithm).ArmoredPublicKey);
        string headerFile = _gpg.File("header.bin");
        await File.WriteAllBytesAsync(headerFile, header);
        foreach (int i in new[] { 0, count / 2, count - 1 })
        {
            string sig = _gpg.File($"header-{i}.sig");
            await File.WriteAllBytesAsync(sig, signatures[i]);
            ToolResult result = await _gpg.VerifyAsync(sig, headerFile);
            result.ExitCode.ShouldBe(0, result.Output);
            result.Stderr.ShouldContain("Good signature");
        }
    }

    public void Dispose() => _gpg.Dispose();

    private static Func<byte[], bool> VerifyRsa(byte[] header, OpenPgpAlgorithm algorithm)
    {
        string armored = TestKeys.Material(algorithm).ArmoredPublicKey;
        var ring = new PgpPublicKeyRing(PgpUtilities.GetDecoderStream(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(armored))));
        PgpPublicKey key = ring.GetPublicKey();
        return packet =>
        {
            var signature = ((PgpSignatureList)new PgpObjectFactory(packet).NextPgpObject())[0];
            signature.InitVerify(key);
            signature.Update(header);
            return signature.KeyId == key.KeyId && signature.Verify();
        };
    }

    private static Func<byte[], bool> VerifyEd25519(byte[] header, OpenPgpAlgorithm algorithm)
    {
        string armored = TestKeys.Material(algorithm).ArmoredPublicKey;
        byte[] keyPacket = Convert.FromBase64String(string.Concat(armored.Split('\n').Skip(2).TakeWhile(l => !l.StartsWith('='))));
        byte[] publicKey = keyPacket.AsSpan(2 + 6 + 10 + 3, 32).ToArray(); // header, version/time/algo, OID, MPI length and 0x40 prefix
        return packet =>
        {
            // Old-format header (2 bytes for these lengths), then version 4, type, algorithms, hashed length.
            int hashedLength = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2 + 4));
            ReadOnlySpan<byte> hashedArea = packet.AsSpan(2, 6 + hashedLength);
            int unhashedLength = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2 + hashedArea.Length));
            ReadOnlySpan<byte> mpis = packet.AsSpan(2 + hashedArea.Length + 2 + unhashedLength + 2);
            byte[] r = Mpi(ref mpis), s = Mpi(ref mpis);
            byte[] trailer = [0x04, 0xFF, 0, 0, 0, (byte)hashedArea.Length];
            byte[] digest = SHA256.HashData([.. header, .. hashedArea, .. trailer]);
            return Ed25519.Verify([.. r, .. s], 0, publicKey, 0, digest, 0, digest.Length);
        };
    }

    private static byte[] Mpi(ref ReadOnlySpan<byte> data)
    {
        int length = (BinaryPrimitives.ReadUInt16BigEndian(data) + 7) / 8;
        byte[] value = new byte[32];
        data.Slice(2, length).CopyTo(value.AsSpan(32 - length));
        data = data[(2 + length)..];
        return value;
    }
}

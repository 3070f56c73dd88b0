using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Signing.Client;
using Forgeline.Testing;

namespace Forgeline.Signing.Tests;

/// <summary>
/// The path projects sign built RPMs by (<see cref="FileSigner"/> over packages held in memory): a corrupt package is
/// refused before anything of it reaches the signer, and nothing is written for it.
/// </summary>
public sealed class CorruptRpmPreparationTests : IDisposable
{
    private readonly TempDirectory dir = new("forgeline-signing-corrupt");

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(RpmCorruption.PayloadByte, "Payload SHA256 digest: BAD (expected ")]
    [InlineData(RpmCorruption.HeaderByte, "Header SHA256 digest: BAD (expected ")]
    [InlineData(RpmCorruption.SignatureDigest, "Header SHA256 digest: BAD (expected ")]
    [InlineData(RpmCorruption.Md5OnlyPayloadByte, "MD5 digest: BAD (expected ")]
    [InlineData(RpmCorruption.Truncated, "Size: BAD (expected ")]
    public async Task A_corrupt_package_never_reaches_the_signer_and_nothing_is_written(RpmCorruption corruption, string problem)
    {
        var good = (await NoarchRpms.BuildAsync(dir["rpms"], "prepare-set", ["prepared"]))[0];
        var corrupt = dir["corrupt.rpm"];
        CorruptRpms.Write(good, corruption, corrupt);
        var bytes = await File.ReadAllBytesAsync(corrupt);
        var backend = new RecordingBackend();
        var written = false;
        var item = new RpmToSign("corrupt.rpm", () => new MemoryStream(bytes, writable: false), (_, _) =>
        {
            written = true;
            return ValueTask.CompletedTask;
        });

        var problems = await new FileSigner(backend, "any-key", "project:test").SignRpmsAsync([item], null, default);

        var refusal = problems[0] ?? throw new ShouldAssertException("the corrupt package was signed");
        refusal.ShouldStartWith("not signing a corrupt package: ");
        refusal.ShouldContain(problem, Case.Sensitive);
        backend.Requests.ShouldBe(0, "not even the header of a corrupt package goes to the signer");
        written.ShouldBeFalse();
    }

    /// <summary>Counts sign requests and refuses them all: these tests must never get as far as the signer.</summary>
    private sealed class RecordingBackend : ISigningBackend
    {
        public int Requests { get; private set; }

        public string Description => "a signer that must not be asked";

        public Task<ServiceResult<KeyDto>> GetKeyAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(ServiceResult<KeyDto>.Fail(ServiceError.NotFound, "no keys here"));

        public Task<ServiceResult<KeyDto>> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(ServiceResult<KeyDto>.Fail(ServiceError.Forbidden, "no keys here"));

        public Task<ServiceResult<SignResponse>> SignAsync(string keyName, string signer, SignRequest request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(ServiceResult<SignResponse>.Fail(ServiceError.Forbidden, "this signer refuses everything"));
        }
    }
}

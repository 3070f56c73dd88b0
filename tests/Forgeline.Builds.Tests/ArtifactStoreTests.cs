using Forgeline.Core;
using System.Security.Cryptography;
using Forgeline.Builds.Artifacts;
using Forgeline.Testing;

namespace Forgeline.Builds.Tests;

public sealed class ArtifactStoreTests
{
    private static readonly byte[] Content = "some rpm bytes"u8.ToArray();
    private static readonly string Digest = Convert.ToHexStringLower(SHA256.HashData(Content));

    [Fact]
    public async Task A_committed_blob_is_stored_under_its_digest()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        var staged = await store.StageAsync(new MemoryStream(Content), Digest, 1024, CancellationToken.None);
        using (var blob = staged.Value!)
        {
            store.Contains(Digest).ShouldBeFalse("nothing is visible before commit");
            blob.Commit();
        }

        store.PathOf(Digest).ShouldBe(Path.Combine(dir.Path, "sha256", Digest[..2], Digest[2..4], Digest));
        (await File.ReadAllBytesAsync(store.PathOf(Digest))).ShouldBe(Content);
        Directory.GetFiles(dir["tmp"]).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_digest_mismatch_is_refused_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        var wrong = new string('0', 64);
        var result = await store.StageAsync(new MemoryStream(Content), wrong, 1024, CancellationToken.None);

        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message!.ShouldContain(Digest);
        AllFiles(dir.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_oversized_upload_is_refused_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        var result = await store.StageAsync(new MemoryStream(new byte[10_000]), null, 4096, CancellationToken.None);

        result.Error.ShouldBe(ServiceError.TooLarge);
        AllFiles(dir.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_content_stored_twice_is_one_file()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        for (var i = 0; i < 2; i++)
        {
            using var blob = (await store.StageAsync(new MemoryStream(Content), Digest, 1024, CancellationToken.None)).Value!;
            blob.Commit();
        }

        AllFiles(dir.Path).Count().ShouldBe(1);
    }

    [Fact]
    public async Task Bytes_are_stored_under_their_digest_and_a_blob_already_stored_is_not_staged_again()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        (await store.PutBytesAsync(Content, CancellationToken.None)).ShouldBe((Digest, Content.Length));
        (await File.ReadAllBytesAsync(store.PathOf(Digest))).ShouldBe(Content);

        // Staging cannot work any more (tmp is now a file): storing the same bytes again must not need it.
        Directory.Delete(dir["tmp"]);
        await File.WriteAllTextAsync(dir["tmp"], "");
        (await store.PutBytesAsync(Content, CancellationToken.None)).ShouldBe((Digest, Content.Length));
        await Should.ThrowAsync<IOException>(() => store.PutBytesAsync("other bytes"u8.ToArray(), CancellationToken.None));
    }

    [Fact]
    public void Names_that_are_not_digests_are_refused()
    {
        using var dir = new TempDirectory();
        var store = new ArtifactStore(dir.Path);
        Should.Throw<ArgumentException>(() => store.PathOf("../../etc/passwd"));
        store.Contains("../../etc/passwd").ShouldBeFalse();
        store.OpenRead("ABC").ShouldBeNull();
    }

    private static IEnumerable<string> AllFiles(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories);
}

using Forgeline.Core;
using System.Text;
using Forgeline.Builds.Logs;
using Forgeline.Testing;

namespace Forgeline.Builds.Tests;

public sealed class BuildLogStoreTests
{
    [Fact]
    public void A_resent_batch_is_not_written_twice()
    {
        using var dir = new TempDirectory();
        var logs = new BuildLogStore(dir.Path);
        logs.Append(1, 0, "line 1\n"u8, 1024).Value.ShouldBe(7);
        logs.Append(1, 0, "line 1\n"u8, 1024).Value.ShouldBe(7);
        logs.Append(1, 7, "line 2\n"u8, 1024).Value.ShouldBe(14);

        File.ReadAllText(logs.PathOf(1)).ShouldBe("line 1\nline 2\n");
    }

    [Fact]
    public void A_batch_that_overlaps_the_end_adds_only_the_new_bytes()
    {
        using var dir = new TempDirectory();
        var logs = new BuildLogStore(dir.Path);
        logs.Append(1, 0, "abc"u8, 1024);
        logs.Append(1, 1, "bcdef"u8, 1024).Value.ShouldBe(6);
        File.ReadAllText(logs.PathOf(1)).ShouldBe("abcdef");
    }

    [Fact]
    public void A_gap_is_refused()
    {
        using var dir = new TempDirectory();
        var logs = new BuildLogStore(dir.Path);
        logs.Append(1, 5, "x"u8, 1024).Error.ShouldBe(ServiceError.Conflict);
    }

    [Fact]
    public void Appends_past_the_limit_are_refused()
    {
        using var dir = new TempDirectory();
        var logs = new BuildLogStore(dir.Path);
        logs.Append(1, 0, new byte[100], 150).IsSuccess.ShouldBeTrue();
        logs.Append(1, 100, new byte[100], 150).Error.ShouldBe(ServiceError.TooLarge);
        new FileInfo(logs.PathOf(1)).Length.ShouldBe(100);
    }

    [Fact]
    public async Task Followers_are_woken_by_an_append()
    {
        using var dir = new TempDirectory();
        var logs = new BuildLogStore(dir.Path);
        var woken = logs.WaitForChangeAsync(7);
        woken.IsCompleted.ShouldBeFalse();
        logs.Append(7, 0, "hi\n"u8, 1024);
        await woken.WaitAsync(TimeSpan.FromSeconds(5));

        var buffer = new byte[10];
        Encoding.UTF8.GetString(buffer, 0, logs.Read(7, 0, buffer)).ShouldBe("hi\n");
        logs.Read(7, 3, buffer).ShouldBe(0);
    }
}

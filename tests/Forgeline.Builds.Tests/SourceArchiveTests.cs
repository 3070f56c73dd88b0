using System.Formats.Tar;
using System.IO.Compression;
using Forgeline.Core.Sources;
using Forgeline.Testing;

namespace Forgeline.Builds.Tests;

public sealed class SourceArchiveTests
{
    [Fact]
    public void A_packed_spec_directory_is_accepted_and_keeps_its_files()
    {
        using var dir = new TempDirectory();
        var tree = TestPackages.WriteSpecDirectory(dir.Path, "pkg");
        Directory.CreateDirectory(Path.Combine(tree, ".git"));
        File.WriteAllText(Path.Combine(tree, ".git", "HEAD"), "ref: x");
        using var archive = new MemoryStream();
        SourceArchive.Pack(tree, archive);

        archive.Position = 0;
        SourceArchive.FindProblem(archive).ShouldBeNull();
        archive.Position = 0;
        Names(archive).ShouldBe(["pkg.spec", "pkg.txt"], ignoreOrder: true);
    }

    [Fact]
    public void Packing_an_unchanged_tree_again_gives_the_same_bytes_so_the_build_cache_can_hit()
    {
        using var dir = new TempDirectory();
        var tree = TestPackages.WriteSpecDirectory(dir.Path, "pkg");
        var first = Packed(tree);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "pkg.spec"), DateTime.UtcNow.AddDays(-3));
        File.ReadAllBytes(Path.Combine(tree, "pkg.txt"));
        Thread.Sleep(20);
        Packed(tree).ShouldBe(first, "times are not part of the archive");

        File.AppendAllText(Path.Combine(tree, "pkg.txt"), "changed");
        Packed(tree).ShouldNotBe(first);
        File.SetUnixFileMode(Path.Combine(tree, "pkg.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var withMode = Packed(tree);
        File.SetUnixFileMode(Path.Combine(tree, "pkg.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Packed(tree).ShouldNotBe(withMode, "modes are part of the archive");

        // Another process (the CLI of another run) must pack the same bytes: nothing of the writer's process goes in,
        // such as the process id PAX extended headers are named after.
        using var archive = new MemoryStream();
        SourceArchive.Pack(tree, archive);
        archive.Position = 0;
        using var tar = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionMode.Decompress))
        {
            gzip.CopyTo(tar);
        }

        System.Text.Encoding.ASCII.GetString(tar.ToArray()).ShouldNotContain("PaxHeaders");

        static string Packed(string tree)
        {
            using var archive = new MemoryStream();
            SourceArchive.Pack(tree, archive);
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(archive.ToArray()));
        }
    }

    [Theory]
    [InlineData("../evil.spec", "climbs out")]
    [InlineData("a/../../evil.spec", "climbs out")]
    [InlineData("/etc/evil.spec", "absolute path")]
    public void Entries_that_escape_the_archive_are_refused(string name, string expected)
    {
        var archive = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream([1]) }));
        SourceArchive.FindProblem(archive)!.ShouldContain(expected);
    }

    [Theory]
    [InlineData("link", "/etc/passwd", "is absolute")]
    [InlineData("link", "../outside", "points outside")]
    [InlineData("sub/link", "../../outside", "points outside")]
    public void Symlinks_that_leave_the_archive_are_refused(string name, string target, string expected)
    {
        var archive = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x.spec") { DataStream = new MemoryStream([1]) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        });
        SourceArchive.FindProblem(archive)!.ShouldContain(expected);
    }

    [Fact]
    public void A_symlink_inside_the_archive_is_fine()
    {
        var archive = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "sub/x.spec") { DataStream = new MemoryStream([1]) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "sub/link") { LinkName = "../sub/x.spec" });
        });
        SourceArchive.FindProblem(archive).ShouldBeNull();
    }

    [Theory]
    [InlineData(TarEntryType.HardLink)]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.Fifo)]
    public void Hard_links_devices_and_fifos_are_refused(TarEntryType type)
    {
        var archive = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x.spec") { DataStream = new MemoryStream([1]) });
            var odd = new PaxTarEntry(type, "odd");
            if (type == TarEntryType.HardLink)
            {
                odd.LinkName = "x.spec";
            }

            w.WriteEntry(odd);
        });
        SourceArchive.FindProblem(archive)!.ShouldContain("only files, directories and symlinks");
    }

    [Fact]
    public void An_archive_without_a_spec_is_refused()
    {
        var archive = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "README") { DataStream = new MemoryStream([1]) }));
        SourceArchive.FindProblem(archive)!.ShouldContain("no .spec file");
    }

    [Fact]
    public void Bytes_that_are_not_a_tarball_are_refused_with_a_clear_message()
    {
        SourceArchive.FindProblem(new MemoryStream("hello, not a tarball"u8.ToArray()))!.ShouldContain("not a valid tar.gz archive");
    }

    [Fact]
    public void A_truncated_tarball_is_refused()
    {
        var whole = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "x.spec") { DataStream = new MemoryStream(new byte[50_000]) })).ToArray();
        SourceArchive.FindProblem(new MemoryStream(whole[..(whole.Length / 2)]))!.ShouldContain("not a valid tar.gz archive");
    }

    private static MemoryStream Tar(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        stream.Position = 0;
        return stream;
    }

    private static List<string> Names(Stream archive)
    {
        using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new TarReader(gzip);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}

namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// A working build environment copied from the host (<see cref="HostTree"/>): the files of the Debian packages in
/// <see cref="DebianPackages"/> and what they link to, in a merged-/usr layout, plus the few files in /etc that rpm and
/// rpmbuild need. <c>test-buildsys</c> packages this tree.
/// </summary>
public static class HostBuildsysTree
{
    /// <summary>The host packages whose files make the build environment.</summary>
    public static IReadOnlyList<string> DebianPackages { get; } =
    [
        "bash", "dash", "coreutils", "sed", "grep", "tar", "gzip", "bzip2", "xz-utils", "cpio", "findutils", "diffutils",
        // rpmbuild classifies every packaged file with libmagic; without its database (libmagic-mgc, 8 MB) a noarch text
        // package still builds, but every file would be classified as nothing, unlike in any real root.
        "file", "libmagic1", "libmagic-mgc",
        "rpm", "rpm-common", "librpm9", "librpmbuild9", "librpmio9", "libc6",
    ];

    /// <summary>Fills <paramref name="destination"/> (created, must be empty) with the tree; returns how many files it copied.</summary>
    public static async Task<int> CopyAsync(string destination)
    {
        var copied = await HostTree.CopyAsync(destination, DebianPackages);
        // rpmbuild's %_builddir parent: a build root's mount point for the work directory.
        Directory.CreateDirectory(Path.Combine(destination, "build"));
        Directory.CreateDirectory(Path.Combine(destination, "etc/rpm"));
        Directory.CreateDirectory(Path.Combine(destination, "var/lib/rpm"));
        // Debian's rpm keeps its database in ~/.rpmdb unless told otherwise; a target's rpm uses /var/lib/rpm.
        File.WriteAllText(Path.Combine(destination, "etc/rpm/macros.dbpath"), "%_dbpath /var/lib/rpm\n");
        File.WriteAllText(Path.Combine(destination, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nmockbuild:x:1000:135::/build:/bin/sh\nnobody:x:65534:65534:nobody:/:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(destination, "etc/group"), "root:x:0:\nmock:x:135:mockbuild\nnobody:x:65534:\n");
        return copied;
    }
}

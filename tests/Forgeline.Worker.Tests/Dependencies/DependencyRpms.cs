using Forgeline.Testing;

namespace Forgeline.Worker.Tests.Dependencies;

/// <summary>Small binary RPMs made on the host with rpmbuild -bb, to serve as a job's build dependencies.</summary>
internal static class DependencyRpms
{
    /// <summary>
    /// Builds the noarch RPM <paramref name="name"/> from its %install script, %files list and any further sections
    /// (scriptlets); with <paramref name="uncompressed"/> its payload is a plain cpio archive that a test can edit.
    /// Returns its path.
    /// </summary>
    public static async Task<string> BuildAsync(string parent, string name, string install, string files, string sections = "", bool uncompressed = false)
    {
        var top = Path.Combine(parent, $"top-{name}");
        Directory.CreateDirectory(top);
        var spec = Path.Combine(top, $"{name}.spec");
        await File.WriteAllTextAsync(spec, $"""
            Name:      {name}
            Version:   1.0
            Release:   1
            Summary:   Build dependency {name} for the Forgeline tests
            License:   MIT
            BuildArch: noarch

            %description
            Made by the Forgeline test suite.

            %install
            {install}

            %files
            {files}

            {sections}
            """);
        string[] payload = uncompressed ? ["--define", "_binary_payload w0.ufdio"] : [];
        await ProcessRunner.RunCheckedAsync("rpmbuild", ["-bb", "--nodeps", "--define", $"_topdir {top}", .. payload, spec]);
        return Path.Combine(top, "RPMS", "noarch", $"{name}-1.0-1.noarch.rpm");
    }

    /// <summary>Overwrites <paramref name="original"/> with <paramref name="replacement"/> of the same length wherever the bytes occur; returns how often.</summary>
    public static int Patch(string path, string original, string replacement)
    {
        original.Length.ShouldBe(replacement.Length, "a patch must keep the file's layout");
        var bytes = File.ReadAllBytes(path);
        var from = System.Text.Encoding.ASCII.GetBytes(original);
        var to = System.Text.Encoding.ASCII.GetBytes(replacement);
        var count = 0;
        for (var at = bytes.AsSpan().IndexOf(from); at >= 0;)
        {
            to.CopyTo(bytes, at);
            count++;
            var next = bytes.AsSpan(at + from.Length).IndexOf(from);
            at = next < 0 ? -1 : at + from.Length + next;
        }

        File.WriteAllBytes(path, bytes);
        return count;
    }
}

using System.Text;
using Forgeline.Core.Images;

namespace Forgeline.Core.Tests.Images;

/// <summary>
/// What the farm takes from image jobs before any worker sees them: the job spec (one of build and vm, with what each
/// needs) and the files a job uploads, by name and by content.
/// </summary>
public sealed class ImageJobContractTests
{
    private const string Disk = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("""{"build":{"name":"tiny","definition":"name: tiny","repositories":[]}}""", null)]
    [InlineData("""{"vm":{"plan":"name: p","planName":"p","job":"install","disk":{"fileName":"tiny.qcow2","sha256":"DISK"}}}""", null)]
    [InlineData("not json", "not an image job spec")]
    [InlineData("null", "empty")]
    [InlineData("{}", "exactly one of build and vm")]
    [InlineData("""{"build":{"name":"tiny","definition":"x","repositories":[]},"vm":{"plan":"p","planName":"p","job":"j","disk":{"fileName":"d","sha256":"DISK"}}}""", "exactly one of build and vm")]
    [InlineData("""{"build":{"name":"../tiny","definition":"name: tiny","repositories":[]}}""", "a valid image name")]
    [InlineData("""{"build":{"name":"tiny","definition":" ","repositories":[]}}""", "needs a definition")]
    [InlineData("""{"vm":{"plan":"name: p","planName":"p","job":"install","disk":{"fileName":"tiny.qcow2","sha256":"not-a-digest"}}}""", "its disk's sha256")]
    [InlineData("""{"vm":{"plan":"","planName":"p","job":"install","disk":{"fileName":"tiny.qcow2","sha256":"DISK"}}}""", "its plan and its job")]
    public void A_spec_is_taken_only_when_it_is_one_whole_job(string json, string? problem)
    {
        var spec = ImageJobSpec.Parse(Encoding.UTF8.GetBytes(json.Replace("DISK", Disk, StringComparison.Ordinal)), out var found);

        if (problem is null)
        {
            spec.ShouldNotBeNull(found);
            found.ShouldBeNull();
        }
        else
        {
            spec.ShouldBeNull();
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Fact]
    public void A_spec_larger_than_its_limit_is_refused_before_it_is_read()
    {
        ImageJobSpec.Parse(new byte[ImageJobSpec.MaxBytes + 1], out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain("at most 1024 KiB");
    }

    [Theory]
    [InlineData(ImageArtifacts.Image, "tiny.qcow2", null)]
    [InlineData(ImageArtifacts.Image, "tiny-rootfs.tar.gz", null)]
    [InlineData(ImageArtifacts.Image, "tiny.exe", "is not an image file name")]
    [InlineData(ImageArtifacts.Disk, "install.raw", "must end in .qcow2")]
    [InlineData(ImageArtifacts.Screenshot, "failure.ppm", "must end in .png")]
    [InlineData(ImageArtifacts.JUnit, "results.json", "must end in .xml")]
    public void An_uploaded_file_is_named_as_its_kind_says(string kind, string name, string? problem)
    {
        var found = ImageArtifacts.NameProblem(kind, name);

        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Theory]
    [InlineData(ImageArtifacts.Disk, "QFI\u00fb rest of a qcow2 header", null)]
    [InlineData(ImageArtifacts.Disk, "plain text", "must be a qcow2 image")]
    [InlineData(ImageArtifacts.Image, "\u007fELF kernel", null)]
    [InlineData(ImageArtifacts.Image, "070701 cpio", null)]
    [InlineData(ImageArtifacts.Image, "#!/bin/sh\nrm -rf /", "not an image this server knows")]
    [InlineData(ImageArtifacts.Screenshot, "GIF89a", "must be a PNG")]
    [InlineData(ImageArtifacts.JUnit, "<testsuite><testcase name=\"a\"/></testsuite>", null)]
    [InlineData(ImageArtifacts.JUnit, "<testsuite><testcase>", "")]
    [InlineData(ImageArtifacts.JUnit, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><testsuite>&e;</testsuite>", "")]
    public void An_uploaded_file_is_what_its_kind_says(string kind, string content, string? problem)
    {
        using var file = new MemoryStream(Encoding.Latin1.GetBytes(content));

        var found = ImageArtifacts.ContentProblem(kind, file);

        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }
}

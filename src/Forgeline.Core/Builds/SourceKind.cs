using System.Text.Json.Serialization;

namespace Forgeline.Core.Builds;

/// <summary>Where a build's sources come from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceKind>))]
public enum SourceKind
{
    /// <summary>An uploaded source RPM.</summary>
    Srpm,

    /// <summary>An uploaded tarball of a directory holding a spec file and its sources.</summary>
    Directory,

    /// <summary>A git repository, cloned by the worker.</summary>
    Git,

    /// <summary>
    /// An image job of the images part: the uploaded blob is an <see cref="Images.ImageJobSpec"/> (build an OS image, or
    /// boot one in a VM and run a test job). Only workers with the <c>qemu</c> label take them.
    /// </summary>
    Image,
}

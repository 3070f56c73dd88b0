namespace Forgeline.Images.Build;

/// <summary>An image could not be built; the message says why in words for the person who asked for it.</summary>
public sealed class ImageBuildException : Exception
{
    /// <summary>A build failure with its reason.</summary>
    public ImageBuildException(string message)
        : base(message)
    {
    }

    /// <summary>A build failure with its reason and cause.</summary>
    public ImageBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Not used: a failure always has a reason.</summary>
    public ImageBuildException()
        : base("the image build failed")
    {
    }
}
